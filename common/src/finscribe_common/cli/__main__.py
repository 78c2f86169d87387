import sys

from finscribe_common.cli import main

sys.exit(main())
