"""Domain errors: each message is written for the person who caused it, and the faces show it as is."""


class DomainError(Exception):
    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class TransitionNotAllowed(DomainError):
    pass


class DeadlinePassed(DomainError):
    pass


class ProposalIncomplete(DomainError):
    def __init__(self, message: str, *, missing: list[str]):
        super().__init__(message, code="incomplete")
        self.missing = missing
