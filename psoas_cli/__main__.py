from psoas_cli.cli.main import main

main()
