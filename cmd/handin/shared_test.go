package main

import (
	"os"
	"path/filepath"
)

// sharedDir is ../shared beside the repository ("" when absent).
func sharedDir() string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared"))
	if err != nil {
		return ""
	}
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}
