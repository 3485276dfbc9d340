from station.cli import main

if __name__ == "__main__":  # not when the window's device process (multiprocessing, spawn) imports it
    raise SystemExit(main())
