"""Test helpers shared by every service's tests (a pytest plugin: see pytest_plugin)."""
