// Package peakrss measures the peak memory of a whole process, for
// benchmarks: a test binary starts itself as a child that runs one test (the
// work to measure) and prints its peak resident set size, which the parent
// reads. VmHWM counts only the child's own memory, while the rusage of a
// child started by a Go program also counts the parent's memory at the time
// of the start (Linux carries it over exec).
package peakrss

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// line starts the line on which the child prints its peak RSS in KiB.
const line = "peak RSS KiB:"

// Print is the child's last step: it prints this process's peak RSS.
func Print(tb testing.TB) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Fatal(err)
	}
	for l := range strings.Lines(string(status)) {
		if kib, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			fmt.Printf("%s %s\n", line, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kib), "kB")))
			return
		}
	}
	tb.Fatal("no VmHWM in /proc/self/status")
}

// OfChild runs the test binary's test named test in a child process with
// the environment variables env added, and returns what it printed and its
// peak RSS in bytes (as Print reported it).
func OfChild(tb testing.TB, test string, env ...string) (output string, peak int64) {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("%s in a child process: %v\n%s", test, err, out)
	}
	_, after, found := strings.Cut(string(out), line)
	fields := strings.Fields(after)
	if !found || len(fields) == 0 {
		tb.Fatalf("%s printed no peak RSS:\n%s", test, out)
	}
	kib, err := strconv.ParseInt(fields[0], 10, 64)
	if err != nil {
		tb.Fatalf("peak RSS %q: %v", fields[0], err)
	}
	return string(out), kib << 10
}
