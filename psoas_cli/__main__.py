from psoas_cli.cli import main

main()
