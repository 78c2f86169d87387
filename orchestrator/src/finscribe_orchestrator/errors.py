"""A run that cannot finish: becomes a `run.failed` event with this code and message."""


class RunFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
