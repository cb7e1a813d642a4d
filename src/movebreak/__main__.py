from movebreak.cli import main

raise SystemExit(main())
