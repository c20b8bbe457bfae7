package demo

// Every word of the demo course is written here, for handin: prompts,
// checklist, answer sentences and the vocabulary that varies per group.
// Sentences may use {data}, {model}, {lib}, {tracker}, {env}, {pkg} and
// {api}; project.fill replaces them with the group's choices.

// sectionBefore names the report section that starts before a question.
var sectionBefore = map[int]string{
	1:  "Group information",
	4:  "Coding environment",
	7:  "Version control",
	12: "Running code and tracking experiments",
	17: "Working in the cloud",
	23: "Deployment",
	29: "Overall discussion of project",
}

// prompts are the questions of the demo template, indexed by number-1.
var prompts = []string{
	"Enter the group number you registered with.",
	"List the student number of every member of the group.",
	"Which open-source packages outside the course curriculum did you use, and what did they do for you?",
	"How did you manage dependencies, and what would a new team member run to get the same environment?",
	"Which project template did you start from, and how does your final layout differ from it?",
	"Which rules for code quality, formatting, typing and documentation did you follow, and why do they matter in larger projects?",
	"How many tests did you write, and what do they cover?",
	"What is the total code coverage of your code, and would full coverage make it free of errors?",
	"Did you work with branches and pull requests, and how did they help?",
	"Did you version your data, and did that help the project?",
	"Describe your continuous integration: what runs, on which systems, and with which caching.",
	"How did you configure experiments, and how would someone start one?",
	"How did you make experiments reproducible so that no information was lost?",
	"Show screenshots of your experiment tracking and explain the metrics you logged.",
	"How did you use containers in the project? Give an example of running one of your images.",
	"How did you debug your code, and did you profile it?",
	"Which cloud services did you use, and what did each of them do?",
	"How did you use virtual machines in the cloud, and with what hardware?",
	"Insert a screenshot of your storage buckets.",
	"Insert a screenshot of your container registry.",
	"Insert a screenshot of your cloud build history.",
	"Did you train your model in the cloud, and how?",
	"Did you write an API for your model, and how?",
	"Did you deploy your model, and how would a user call the service?",
	"Did you test and load test the API, and what were the results?",
	"Did you set up monitoring of the deployed model?",
	"How many cloud credits did you use, and which service cost the most?",
	"Did you build anything extra, such as a frontend or a drift detector?",
	"Include and describe a diagram of the overall architecture of your system.",
	"What were the biggest challenges of the project, and how did you overcome them?",
	"State how each member contributed, and whether you used generative AI tools.",
}

// checklistItem is one line of the demo checklist with its module tag.
type checklistItem struct {
	text, module string
}

// checklist is the demo template's project checklist, by section.
var checklist = []struct {
	section string
	items   []checklistItem
}{
	{"Week 1", []checklistItem{
		{"Create a shared git repository for the group", "M5"},
		{"Give every member write access to the repository", "M5"},
		{"Keep track of the Python environment and its packages", "M2"},
		{"Start the project from a cookiecutter template", "M6"},
		{"Write the data loading and preprocessing step", "M6"},
		{"Implement the model and a training script", "M6"},
		{"List the dependencies in requirements files", "M2+M6"},
		{"Follow a consistent code style checked by a linter", "M7"},
		{"Add type hints and docstrings to the main modules", "M7"},
		{"Put the data under version control", "M8"},
		{"Add a command line interface to the scripts", "M9"},
		{"Write Dockerfiles for training and inference", "M10"},
		{"Build and run the images locally", "M10"},
		{"Keep experiment settings in configuration files", "M11"},
		{"Load configurations and hyperparameters with Hydra", "M11"},
		{"Draw an architecture diagram of the pipeline", ""},
	}},
	{"Week 2", []checklistItem{
		{"Write unit tests for the data code", "M16"},
		{"Write unit tests for the model and the training code", "M16"},
		{"Measure the code coverage", "M16"},
		{"Run the tests in continuous integration on every push", "M17"},
		{"Cache dependencies in the CI workflow", "M17"},
		{"Test on more than one operating system or Python version", "M17"},
		{"Add a linting step to the CI pipeline", "M17"},
		{"Store the data in a cloud bucket", "M21"},
		{"Build the images in the cloud on every push", "M21"},
		{"Train the model in the cloud", "M21"},
		{"Serve the model through a FastAPI application", "M22"},
		{"Deploy the API to a managed cloud service", "M23"},
		{"Write tests for the API and load test it", "M24"},
	}},
	{"Week 3", []checklistItem{
		{"Check how robust the model is to data drift", "M27"},
		{"Collect the inputs and outputs of the deployed model", "M27"},
		{"Deploy a drift detection service", "M27"},
		{"Expose system metrics from the API", "M28"},
		{"Set up alerts for the deployed service", "M28"},
		{"Speed up the data loading with parallel workers", "M29"},
		{"Try distributed training on several devices", "M30"},
		{"Speed up inference with quantization or compilation", "M31"},
	}},
	{"Extra", []checklistItem{
		{"Write documentation for the project", "M32"},
		{"Publish the documentation online", "M32"},
		{"Make sure every member understands all parts of the project", ""},
		{"Push all the code to the repository", ""},
	}},
}

// topicSentences says something specific to each question (number-1).
var topicSentences = [][]string{
	nil, // group number
	nil, // student numbers
	{
		"We used {lib} on top of the course stack because it saved us from writing our own data augmentation code.",
		"The package gave us ready made building blocks, so most of our effort went into the pipeline rather than the model.",
		"Besides that we relied on rich for readable console output and on tenacity to retry flaky downloads.",
	},
	{
		"Dependencies are managed with {env} and pinned in a lock file that lives in the repository.",
		"A new member clones the repository and runs a single install command, which recreates the environment we use in CI.",
		"Development tools such as the linter and pytest are kept in a separate group so the runtime image stays small.",
		"Whenever somebody added a package the lock file changed in the same pull request, which made conflicts easy to spot.",
	},
	{
		"We started from the course cookiecutter template and kept its split between source code, tests, configs and reports.",
		"The source folder holds the {pkg} package with one module for data, one for the model and one for training.",
		"We removed the notebooks folder because nobody used it and added a folder for the dockerfiles instead.",
		"Configuration files moved into their own folder so Hydra could find them from every entry point.",
	},
	{
		"We formatted all code with ruff and ran its linter in a pre-commit hook so style never came up in reviews.",
		"Public functions carry type hints and short docstrings, and mypy runs on the package in CI.",
		"In a larger project these rules matter because people read far more code than they write, and consistent code is faster to read.",
	},
	{
		"We wrote {n} tests that cover the data processing, the shape of the model output and a short training run.",
		"The data tests check that every processed sample has the expected shape and that labels stay in range.",
		"The API has its own tests that call the prediction endpoint with a small example input.",
	},
	{
		"Our total coverage is {cov} percent, measured with coverage.py in the CI workflow.",
		"Even full coverage would not make the code free of errors, since a line that runs is not necessarily a line that is correct.",
		"Coverage tells us which code no test touches, which is useful, but it says nothing about inputs we did not think of.",
	},
	{
		"Every feature was developed on its own branch and merged into main through a pull request.",
		"Main was protected, so a pull request needed a passing CI run and one approving review before it could be merged.",
		"Reviews caught several bugs early and also spread knowledge of the code across the group.",
	},
	{
		"We versioned the {data} with DVC and kept the files themselves in a cloud bucket.",
		"It helped when we changed the preprocessing, because we could always go back to the exact data an older model was trained on.",
		"For a dataset this small the benefit was modest, but the setup would scale to data that changes every week.",
	},
	{
		"Our continuous integration is split into three GitHub Actions workflows: unit tests, linting and a docker build.",
		"The unit tests run on Ubuntu, macOS and Windows with two Python versions, which caught a path handling bug on Windows.",
		"Dependencies are cached between runs keyed on the lock file, which brought a typical run down to about two minutes.",
		"The linting workflow runs ruff and mypy and fails the pull request when either reports a problem.",
		"When a pull request is merged into main, a separate workflow builds the training and API images and pushes them to the registry.",
		"We also set up a dependabot configuration so that outdated packages show up as pull requests.",
	},
	{
		"Experiments are configured with Hydra config files that hold the hyperparameters and the paths to the data.",
		"A run starts with the train command of our CLI, and any value can be overridden on the command line.",
	},
	{
		"Every run stores its full resolved config together with the metrics in {tracker}.",
		"Seeds are set for Python, NumPy and PyTorch, and the data version is recorded next to the run.",
		"To reproduce an experiment one checks out the commit, pulls the data version with DVC and reruns the stored config.",
	},
	{
		"The first screenshot shows the training and validation loss of our main runs, which we used to spot overfitting early.",
		"We also logged accuracy and the F1 score on the validation set after every epoch, because the classes are imbalanced.",
		"The second screenshot shows a hyperparameter sweep over learning rate and batch size.",
		"Learning rate mattered far more than batch size, and the best runs used a small learning rate with a cosine schedule.",
		"Logging the gradient norm helped us find a run where the loss exploded after a bad data batch.",
		"We stored the best model of each sweep as an artifact so the API could fetch it by name.",
	},
	{
		"We built one image for training and one for the API, both based on a slim Python image.",
		"Training runs with docker run and the config overrides as arguments, mounting the data folder as a volume.",
		"Keeping the images small mattered because they are rebuilt in CI after every merge.",
	},
	{
		"Most bugs were found with the debugger in VS Code and with small tests that reproduced the problem.",
		"We profiled the training loop with the PyTorch profiler and found that data loading took most of the time.",
		"Moving the preprocessing out of the training loop and using more workers made an epoch about three times faster.",
	},
	{
		"We used Cloud Storage for the data, Artifact Registry for the images and Cloud Build to build them.",
		"Training ran on Vertex AI and the API was deployed with Cloud Run.",
	},
	{
		"We used Compute Engine virtual machines early on to try training on a machine with a GPU.",
		"The instances were of the n1 family with one T4 GPU, started from a deep learning image.",
		"Later we moved training to Vertex AI, which starts the same container without us managing the machine.",
	},
	{"The bucket holds the raw and processed data tracked by DVC."},
	{"The registry holds the training and API images built by Cloud Build."},
	{"Every merge into main starts a build, as the history shows."},
	{
		"We trained the final model with a custom job on Vertex AI that runs our training image.",
		"The job reads the data from the bucket and writes the trained model back to it.",
		"We chose Vertex AI over a bare virtual machine because it shuts the machine down when the job ends.",
	},
	{
		"We wrote the API with {api}, with one endpoint that takes an input and returns the predicted class and its probability.",
		"The model is loaded once at start up, and the inputs are validated with pydantic models.",
		"A health endpoint lets the deployment check that the service is up.",
	},
	{
		"The API runs on Cloud Run, built from the API image every time main changes.",
		"A user calls it with curl by posting a file to the predict endpoint and gets a JSON answer back.",
		"We first deployed locally with docker to check the image before moving it to the cloud.",
	},
	{
		"We tested the API with pytest and the FastAPI test client, covering valid and invalid inputs.",
		"For load testing we used locust, and the service handled about forty requests per second before latency went up.",
		"Most of the time per request went into decoding the input rather than the model itself.",
	},
	{
		"We exposed request counts and latency as Prometheus metrics and set up an alert on the error rate.",
		"We did not get to data drift monitoring, but the service logs every input so it could be added later.",
		"Monitoring would let us notice when the inputs start to look different from the training data.",
	},
	{
		"In total we spent around {credits} dollars of credits.",
		"Vertex AI training was the most expensive part, followed by the always-on container registry storage.",
		"Working in the cloud was frustrating at first because of permissions, but it made sharing results very easy.",
	},
	{
		"We built a small Streamlit frontend where a user uploads an input and sees the prediction.",
		"The frontend calls the deployed API, so it stays thin and has no model code of its own.",
	},
	{
		"The diagram starts on the developer's machine, where code is written, tested with pre-commit and pushed to GitHub.",
		"A push starts the GitHub Actions workflows that run tests and linting on several operating systems.",
		"Merging into main triggers Cloud Build, which builds the training and API images and stores them in Artifact Registry.",
		"Training runs on Vertex AI with the training image, reads the {data} from Cloud Storage and logs metrics to {tracker}.",
		"The best model is saved to the bucket, from where the API container loads it at start up on Cloud Run.",
		"Users reach the API directly or through the frontend, and request metrics flow to the monitoring dashboard.",
		"Data versions are tracked by DVC, so every model can be traced back to the data it was trained on.",
	},
	{
		"The biggest challenge was getting the cloud setup to work, mainly service accounts and permissions.",
		"Building images was slow at first, until we reordered the Dockerfile so the dependency layer was cached.",
		"We also lost time on a data loading bug that only showed up on the cloud machines.",
		"Writing small tests for each bug kept the same problems from coming back.",
		"Merging changes from four people into the same files caused conflicts, which smaller pull requests mostly solved.",
		"Keeping the report up to date throughout the project was easier than writing it all at the end.",
	},
	{
		"Every member worked on every part of the project, but each had a main responsibility.",
		"One of us owned the data pipeline and DVC, one the model and training, and one the cloud deployment and CI.",
		"We used generative AI tools to explain error messages and to draft some docstrings, and we reviewed everything they wrote.",
	},
}

// fillerSentences are general remarks that fit under any question; answers
// draw from them once their topic sentences run out.
var fillerSentences = []string{
	"We agreed on this early, which saved discussions later in the project.",
	"In hindsight we would have set this up in the first week rather than the second.",
	"It took a few attempts before it worked reliably for everyone in the group.",
	"The course exercises were a good starting point, and we adapted them to our {data}.",
	"This was one of the parts where we learned the most.",
	"We wrote down the steps in the project README so that nobody had to remember them.",
	"Most of the work here was done in pairs, which made it easier to keep everyone up to date.",
	"If we had more time we would automate this part further.",
	"It also made onboarding easier when one of us was away for a few days.",
	"The setup is simple on purpose, since a simple setup is easier to keep working.",
	"We tried a more elaborate approach first, but it was not worth the extra complexity.",
	"Our model, {model}, is small enough that this was never a bottleneck.",
	"The {pkg} package keeps this logic in one place, so the scripts stay short.",
	"For a project of this size the benefit is small, but it would matter much more in a larger team.",
	"We reviewed this together at the end of each week.",
	"This part changed several times as the project grew.",
	"Everything described here runs both locally and in the cloud without changes.",
	"Mistakes here were cheap to fix because we noticed them early.",
	"The main lesson was that small steps that are checked automatically beat big steps checked by hand.",
	"We kept the defaults wherever they were good enough.",
	"Some of this was new to all of us, so we read the documentation together.",
	"It is not perfect, but it did what we needed for the project.",
	"We would keep this approach in a future project.",
	"Several of these choices were made after problems we ran into during the first week.",
}

// Vocabulary that varies from group to group.
var (
	datasets = []string{
		"bird song recordings", "satellite images of farmland", "chest X-ray scans", "product reviews",
		"traffic sign photos", "wind turbine sensor logs", "recipe descriptions", "skin lesion photographs",
		"bike sharing trip records", "news headlines", "plant leaf images", "handwritten music notes",
	}
	models = []string{
		"a small convolutional network", "a fine-tuned ResNet-18", "a DistilBERT classifier",
		"a U-Net", "an LSTM forecaster", "a vision transformer from timm", "a gradient boosted baseline",
	}
	libraries    = []string{"PyTorch Lightning", "timm", "Hugging Face transformers", "torchaudio", "albumentations", "Optuna", "Polars"}
	trackers     = []string{"Weights & Biases", "MLflow"}
	envManagers  = []string{"uv", "pip and requirements files", "conda", "poetry"}
	apiLibraries = []string{"FastAPI", "BentoML", "FastAPI and ONNX Runtime"}
	packageNames = []string{"birdnet", "croptiles", "xraycls", "reviewer", "signspotter", "turbine", "recipes", "lesions",
		"bikeshare", "headlines", "leafy", "notereader"}

	firstNames = []string{"Anna", "Mads", "Sofie", "Lucas", "Freja", "Oliver", "Ida", "Emil", "Laura", "Noah",
		"Clara", "Victor", "Maja", "Jonas", "Ella", "Magnus", "Alma", "Oscar", "Nora", "Felix", "Signe", "Aksel"}
	lastNames = []string{"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
		"Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Garcia", "Rossi",
		"Novak", "Müller"}
	personalDomains = []string{"gmail.com", "outlook.com", "proton.me", "hotmail.com"}
)

// Commit messages that touch code, drawn in order per group.
var codeCommitMessages = []string{
	"add data loading", "first version of the model", "training loop", "add tests for data", "dockerfile for training",
	"ci: run tests on push", "hydra configs", "fix shape bug in model", "add api", "dockerfile for api",
	"log metrics", "cloud build config", "lint fixes", "update requirements", "add evaluation script",
	"cache dependencies in ci", "refactor data module", "add api tests", "small cleanup",
}
