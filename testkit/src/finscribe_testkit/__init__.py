"""FinScribe's development kit, one subpackage per part of the system.

Fakes of what is outside FinScribe (Google sign-in, OpenAI, RunPod), replays of the recorded
real upstream data (KRX, DART, Yahoo Finance from `fixtures/real/`), servers on loopback
ports, the service stack as real processes, and the pytest plugin (`common.pytest_plugin`).
Installed only by `requirements-dev.txt`: no production package imports it, and no image
carries it (`tests/test_wheels.py` checks the built wheels).
"""
