"""`python build.py [args]` is `explainer build [args]`."""

import sys

from explainer.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
