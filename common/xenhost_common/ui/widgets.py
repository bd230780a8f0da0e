"""The Screen every console screen (installer, first-boot wizard) is built from, and the few widgets
they share.

A Screen is a centred dialog (at most DIALOG_WIDTH x DIALOG_HEIGHT, smaller terminals get all of
it): a title in its top border, a one-line explanation, a bounded list or form that scrolls inside
the dialog, one error line and a button row at the bottom (Next / Back / Help). Keys, the same on a
VGA console and a vt220 serial line:
  F1 or ?      help (? only outside text fields, where it is typed)  -- F1 may not cross a serial line
  Esc, Ctrl-B  back (Ctrl-B because a lone Esc waits for an escape sequence on serial)
  Enter        chooses a list item / moves to the next field; on the last field it presses Next
  Tab          next field, then along the buttons; Shift-Tab the other way
Screens are plain widgets (no terminal access), so tests drive them with keypress(size, key)."""
import urwid

GiB = 1024 ** 3
DIALOG_WIDTH, DIALOG_HEIGHT = 76, 22     # 80x24 with the key header: the dialog fills it, margins kept
HELP_KEYS = ("f1", "?")
BACK_KEYS = ("esc", "ctrl b")
HELP_RETURN = "Press F1, ?, Esc or Enter to return."


def button(label, callback, *user_args):
    b = urwid.Button(label)
    urwid.connect_signal(b, "click", lambda _b: callback(*user_args))
    return urwid.AttrMap(b, None, focus_map="focus")


class ListItem(urwid.Button):
    """One row of a list: the label alone, highlighted when focused (no "< >" around it, which made
    a list look like a wall of buttons)."""

    def __init__(self, label):
        super().__init__(label)
        self._w = self._label            # the SelectableIcon: cursor on the row's first column


def item(label, callback, *user_args):
    row = ListItem(label)
    urwid.connect_signal(row, "click", lambda _b: callback(*user_args))
    return urwid.AttrMap(row, None, focus_map="focus")


class Centred(urwid.Overlay):
    """A dialog centred on a blank background, as large as it may be up to width x height."""

    def __init__(self, dialog, width=DIALOG_WIDTH, height=DIALOG_HEIGHT):
        super().__init__(dialog, urwid.SolidFill(" "), "center", width, "middle", height)
        self.max_size = (width, height)

    def calculate_padding_filler(self, size, focus):
        cols, rows = size
        width, height = min(self.max_size[0], cols), min(self.max_size[1], rows)
        left, top = (cols - width) // 2, (rows - height) // 2
        return left, cols - width - left, top, rows - height - top


def field(caption, text="", mask=None):
    return urwid.Edit(("label", caption), text, mask=mask)


def field_text(edit):
    return edit.get_edit_text().strip()


def words(edit):
    """A list typed as 'a b', 'a, b' or 'a,b'."""
    return field_text(edit).replace(",", " ").split()


class EnterRadio(urwid.RadioButton):
    """Enter selects the option and then lets the screen move on (Space only selects)."""

    def keypress(self, size, key):
        if key == "enter":
            self.set_state(True)
            return key
        return super().keypress(size, key)


def gib(size):
    return "%.1f GiB" % (size / GiB)


class Screen(urwid.WidgetWrap):
    """TITLE is the screen's stable name (the box's top line; the e2e test waits for it).
    next_label: the Next button's text, or None for screens where choosing an item moves on.
    intro: the one line saying what to do, fixed above the body; framed: the body is a list, drawn
    in its own box so that it reads as one bounded list; after: rows shown under it."""
    TITLE = ""
    HELP = ""

    def __init__(self, rows, on_back=None, next_label="Next", focus=None, focus_buttons=False, back_first=False,
                 intro=None, framed=False, after=()):
        self.on_back = on_back
        self.intro = intro
        self.walker = urwid.SimpleFocusListWalker(rows)
        selectable = [i for i, w in enumerate(rows) if w.selectable()]
        if focus is None and selectable:
            focus = selectable[0]
        if focus is not None:
            self.walker.set_focus(focus)
        self.error = urwid.Text("")
        buttons = [button(next_label, self.submit)] if next_label else []
        if on_back:         # back_first: where Next is dangerous (erase), Back is the default button
            buttons.insert(0 if back_first else len(buttons), button("Back", on_back))
        buttons.append(button("Help", self.show_help))
        self.buttons = urwid.Columns([(len(b.base_widget.label) + 4, b) for b in buttons], dividechars=2)
        body = urwid.ListBox(self.walker)
        if framed:
            body = urwid.LineBox(urwid.Padding(body, left=1, right=1))
        if after:           # notes under the list (not part of it): "No usable disk: ..."
            body = urwid.Pile([body] + [("pack", w) for w in after])
        # the error line doubles as the blank line above the buttons
        self.pile = urwid.Pile([body, ("pack", urwid.AttrMap(self.error, "error")), ("pack", self.buttons)])
        if focus_buttons or back_first or not selectable:
            self.pile.focus_position = 2
        head = [("pack", urwid.Text(intro)), ("pack", urwid.Divider())] if intro else []
        self._main = Centred(urwid.LineBox(urwid.Padding(urwid.Pile(head + [self.pile]), left=1, right=1),
                                           title=self.TITLE))
        self._help = Centred(urwid.LineBox(urwid.Padding(urwid.ListBox(urwid.SimpleFocusListWalker(
            [urwid.Text(self.help_text()), urwid.Divider(), urwid.Text(HELP_RETURN)])), left=1, right=1),
            title="Help: " + self.TITLE))
        self.showing_help = False
        super().__init__(self._main)

    def intro_text(self):
        return self.intro

    def help_text(self):
        keys = "\n\nOn this screen Esc or Ctrl-B goes back to the previous one." if self.on_back else ""
        return self.HELP.strip() + keys

    def selectable(self):
        return True                     # so F1/Esc reach screens without buttons (progress)

    def submit(self):
        """The Next button (and Enter on the last field). Screens with a Next button override it."""

    def fail(self, message):
        """Refuse the input: say why and how to fix it, on the screen."""
        self.error.set_text(message)

    def commit(self, update):
        """Check update (answer keys -> values) with the answer file's rules (flow.problems); refuse it
        on the screen, or store it and move on. For screens that have self.flow and self.done."""
        found = self.flow.problems(update)
        if found:
            return self.fail("\n".join(found))
        self.flow.answers.update(update)
        self.done()

    def show_help(self, on=True):
        self.showing_help = on
        self._w = self._help if on else self._main

    # -- keys -------------------------------------------------------------------------------------

    def in_buttons(self):
        return self.pile.focus_position == 2

    def focused(self):
        """The body widget in focus (unwrapped), or None when a button has the focus."""
        return None if self.in_buttons() else self.walker[self.walker.focus].base_widget

    def keypress(self, size, key):
        if self.showing_help:
            if key in HELP_KEYS + BACK_KEYS + ("enter",):
                self.show_help(False)
            return None                 # help is modal: nothing else reaches the screen below
        if key in ("tab", "shift tab"):
            return self._tab(size, key)
        if key == "up" and self.in_buttons():
            return self._up_from_buttons(key)
        key = self._move(size, key)
        if key == "enter" and not self.in_buttons():
            self.advance()
            return None
        if key in HELP_KEYS:
            self.show_help(True)
            return None
        if key in BACK_KEYS and self.on_back:
            self.on_back()
            return None
        return key

    def _tab(self, size, key):
        forward = key == "tab"
        moves = ("right",) if self.in_buttons() else ("down", "right")
        if not forward:
            moves = ("left", "up") if self.in_buttons() else ("up",)
        for move in moves:
            if self._move(size, move) is None:
                return None
        return None

    def _move(self, size, key):
        """Pass key to the dialog; entering the button row from above lands on its first button
        (urwid would pick the one under the cursor's column, which in a framed list is arbitrary)."""
        was_in_buttons = self.in_buttons()
        key = self._w.keypress(size, key)
        if not was_in_buttons and self.in_buttons():
            self.buttons.focus_position = 0
        return key

    def _up_from_buttons(self, key):
        """To the last row that takes input (urwid would pick the row at the box's bottom edge,
        which is blank space on a short screen)."""
        selectable = [i for i, w in enumerate(self.walker) if w.selectable()]
        if not selectable:
            return key
        self.pile.focus_position = 0
        self.walker.set_focus(selectable[-1])
        return None

    def inputs(self):
        """Rows that Enter walks through, in order; the last one's Enter presses Next."""
        return [w for w in self.walker if isinstance(w, urwid.Edit)]

    def advance(self):
        """Enter on a field (or an EnterRadio): go to the next input after it, else press Next."""
        position = -1 if self.in_buttons() else self.walker.focus
        inputs = self.inputs()
        later = [i for i, w in enumerate(self.walker) if i > position and w in inputs]
        if later:
            self.walker.set_focus(later[0])
        else:
            self.submit()

    def focus_on(self, widget):
        self.walker.set_focus(self.walker.index(widget))


class ChoiceScreen(Screen):
    """A list to pick one item from: Enter (or a click) on an item chooses it and moves on.
    Typing a letter jumps to the next item starting with it (long lists: time zones, keymaps).
    choices: [(label, value)], value None = shown but not selectable (e.g. the boot medium)."""

    def __init__(self, intro, choices, on_choose, current=None, on_back=None, after=()):
        self.on_choose = on_choose
        self.values = [value for _label, value in choices if value is not None]
        rows = []
        first = 0
        focus = None
        for label, value in choices:
            if value is None:
                rows.append(urwid.Text("  " + label))         # lines up with the items' text (after the mark)
                continue
            mark = "*" if value == current else " "
            if focus is None and (value == current or current not in self.values):
                focus = len(rows)
            rows.append(item("%s %s" % (mark, label), on_choose, value))
        super().__init__(rows, on_back=on_back, next_label=None, focus=focus if focus is not None else first,
                         intro=intro, framed=True, after=after)

    def keypress(self, size, key):
        if not self.showing_help and len(key) == 1 and key.isalnum() and not self.in_buttons():
            self.jump(key)
            return None
        return super().keypress(size, key)

    def jump(self, letter):
        rows = list(self.walker)
        start = self.walker.focus
        for row in rows[start + 1:] + rows[:start + 1]:
            if isinstance(row, urwid.AttrMap) and row.base_widget.label[2:].lower().startswith(letter.lower()):
                self.walker.set_focus(self.walker.index(row))
                return
