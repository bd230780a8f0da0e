"""The one exception type of the firstboot component.

Every message states the problem AND the fix (CONVENTIONS.md), because it is
read on a console during boot by someone who cannot look at the code.
"""


class FirstbootError(Exception):
    def __init__(self, problem, fix):
        super().__init__(f"{problem}. Fix: {fix}")
        self.problem = problem
        self.fix = fix
