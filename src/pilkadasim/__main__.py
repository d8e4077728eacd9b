"""``python -m pilkadasim`` is the same Hydra application as the ``pilkadasim`` command."""

from pilkadasim.cli.main import main

if __name__ == "__main__":
    main()
