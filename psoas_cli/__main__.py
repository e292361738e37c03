try:
    from psoas_cli.cli.start import main

    main()
except KeyboardInterrupt:  # Ctrl-C just before or after main's own try: as it does
    raise SystemExit(130) from None
