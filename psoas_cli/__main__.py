try:
    from psoas_cli.cli.start import main
except KeyboardInterrupt:  # Ctrl-C before psoas's first line: as start.main does
    raise SystemExit(130) from None

main()
