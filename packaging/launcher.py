"""The frozen app's entry script: the same ``ui.main:main`` that ``stepwise`` runs when installed.

PyInstaller needs a script file; running ``ui/main.py`` itself would load it as ``__main__`` beside
a second copy imported as ``ui.main``.
"""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
