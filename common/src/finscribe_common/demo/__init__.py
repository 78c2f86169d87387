"""Demo mode (`finscribe up --demo`, `make demo`): the stack on recorded real data, every output labelled.

- `label`: the notice every demo result starts with and `label_result`;
- `replays`: what a data service's test kit hands the demo (a replay server, the
  environment that points the service at it, what the recordings hold and what each
  recording really is);
- `provenance`: each demo source relabelled with its real provider and recording date.
"""

from finscribe_common.demo.label import DEMO_NOTICE, is_labelled, label_result

__all__ = ["DEMO_NOTICE", "is_labelled", "label_result"]
