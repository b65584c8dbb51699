from ui.cli.main import main

main()
