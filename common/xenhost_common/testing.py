"""The one fake runner for tests of every runtime component: records each argv and answers
from a script of (argv prefix -> Result fields), so tests assert the commands without root."""
from .errors import CommandFailed, ProgramMissing
from .runner import Result


class FakeRunner:
    def __init__(self, responses=None, missing=(), installed=None):
        # responses: {tuple(argv prefix) or str(first word): (returncode, stdout, stderr) | str | callable}
        self.responses = dict(responses or {})
        self.missing = set(missing)
        self.installed = installed     # None: every program is installed (which() is True)
        self.calls = []                # list of argv lists
        self.inputs = []               # the stdin given to each call (secret or not)

    def which(self, program):
        return program not in self.missing and (self.installed is None or program in self.installed)

    def respond(self, prefix, answer):
        self.responses[tuple(prefix.split()) if isinstance(prefix, str) else tuple(prefix)] = answer

    def reply(self, argv):
        """Override in a test's subclass to compute an answer (str, Result, (code, out, err));
        None falls back to the scripted responses."""
        return None

    def _answer(self, argv):
        custom = self.reply(argv)
        if custom is not None:
            return self._result(argv, custom)
        best = None
        for prefix, answer in self.responses.items():
            key = tuple(prefix.split()) if isinstance(prefix, str) else tuple(prefix)
            if tuple(argv[:len(key)]) == key and (best is None or len(key) > len(best[0])):
                best = (key, answer)
        if best is None:
            return Result(argv, 0, "", "")
        answer = best[1]
        if callable(answer):
            answer = answer(argv)
        return self._result(argv, answer)

    @staticmethod
    def _result(argv, answer):
        if isinstance(answer, Result):
            return answer
        if isinstance(answer, str):
            return Result(argv, 0, answer, "")
        code, out, err = (tuple(answer) + ("", ""))[:3]
        return Result(argv, code, out, err)

    def run(self, argv, *, check=True, input=None, secret=False, chroot=None, timeout=None,
            parse=True, env=None, cwd=None, fix=""):
        argv = [str(a) for a in argv]
        if chroot:
            argv = ["chroot", str(chroot)] + argv
        self.calls.append(argv)
        self.inputs.append(input)
        program = argv[2] if chroot else argv[0]
        if program in self.missing:
            raise ProgramMissing(program)
        result = self._answer(argv)
        if check and not result.ok:
            raise CommandFailed(result, fix)
        return result

    def stream(self, argv, on_line, *, env=None, timeout=None):
        result = self.run(argv, check=False)
        for line in result.stdout.splitlines():
            on_line(line)
        return result.returncode

    def ran(self, *words):
        """True when some call's argv starts with these words."""
        return any(call[:len(words)] == list(words) for call in self.calls)
