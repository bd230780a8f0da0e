"""Drive console screens headless (installer, first-boot wizard): key presses, the rendered 80x24
text, the centred dialog's title, text and buttons."""
import re

SIZE = (80, 24)


class ScreenDriver:
    """A UI with .frame and .screen (InstallerUI, WizardUI): press keys, type, read the dialog."""

    def __init__(self, ui):
        self.ui = ui

    def press(self, *keys):
        for key in keys:
            self.ui.frame.keypress(SIZE, key)
        return self

    def type(self, text):
        return self.press(*list(text))

    def click(self, label):
        """Move the focus to the button labelled label (as Tab would) and press Enter on it."""
        screen = self.ui.screen
        labels = [w.base_widget.label for w, _options in screen.buttons.contents]
        screen.pile.focus_position = 2
        screen.buttons.focus_position = labels.index(label)
        return self.press("enter")

    def lines(self):
        return [line.decode() for line in self.ui.frame.render(SIZE, focus=True).text]

    def text(self):
        return "\n".join(self.lines())

    def dialog(self):
        """(top, bottom) line numbers of the centred dialog's border."""
        lines = self.lines()
        top = next(i for i, line in enumerate(lines) if "\u250c" in line)
        return top, next(i for i in range(top, len(lines)) if lines[i].lstrip().startswith("\u2514"))

    def title(self):
        """The screen's title: the text in the dialog's top border."""
        line = self.lines()[self.dialog()[0]]
        return re.sub("[\u2500\u250c\u2510]", "", line[:line.rindex("\u2510") + 1]).strip()

    def flat(self):
        """The dialog's text as one line (borders dropped, spaces collapsed): a message reads the
        same however the dialog's width wraps it."""
        top, bottom = self.dialog()
        rows = [re.sub("[\u2500-\u257f]", " ", line) for line in self.lines()[top + 1:bottom]]
        return " ".join(" ".join(rows).split())

    def button_row(self):
        """The dialog's last line inside its border: the buttons."""
        return self.lines()[self.dialog()[1] - 1]
