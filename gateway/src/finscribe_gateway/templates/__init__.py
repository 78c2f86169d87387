"""Report templates: the built-ins of the kit and the ones each account saves."""
