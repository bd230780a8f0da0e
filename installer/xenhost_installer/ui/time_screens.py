"""Time zone (region, then city, from the machine's tz database) and NTP servers."""
import urwid

from xenhost_common.ui.widgets import ChoiceScreen, EnterRadio, Screen, field, words

from ..answers.catalog import timezones
from ..answers.declared import default

# The tz database's geographic areas; the rest (Etc/, US/, legacy names) are aliases kept for old systems.
REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian",
           "Pacific")


def zones_by_region(names=None):
    """region -> sorted cities ("Argentina/Buenos_Aires" under America). UTC is offered on its own."""
    out = {}
    for name in sorted(timezones() if names is None else names):
        region, sep, city = name.partition("/")
        if sep and region in REGIONS:
            out.setdefault(region, []).append(city)
    return out


def _split(timezone):
    region, _sep, city = (timezone or default("timezone")).partition("/")
    return region, city


class RegionScreen(ChoiceScreen):
    TITLE = "Time zone: region"
    HELP = ("The host's time zone, used for its logs and clock display (the hardware clock stays in UTC). "
            "Choose UTC, or a region and then a city in it. Type a letter to jump. Servers are often "
            "kept in UTC.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        regions = sorted(flow.context.zones)
        current = flow.state.get("region") or _split(flow.answers.get("timezone"))[0]
        choices = [("UTC", "UTC")] + [(r, r) for r in regions]
        intro = "Choose the region of the host's time zone:"
        if not regions:
            intro = "This installer has no time zone database: only UTC can be chosen."
        super().__init__(intro, choices, self.choose, current=current, on_back=back)

    def choose(self, region):
        self.flow.state["region"] = region
        if region == "UTC":
            self.flow.answers["timezone"] = "UTC"
        self.done()


def has_cities(flow):
    return flow.state.get("region", "UTC") != "UTC"


class CityScreen(ChoiceScreen):
    TITLE = "Time zone: city"
    HELP = ("Choose the city whose time the host keeps (the tz database names a zone after its largest "
            "city). Type a letter to jump to the cities starting with it; Back returns to the regions.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        self.region = flow.state["region"]
        cities = flow.context.zones.get(self.region, [])
        region, city = _split(flow.answers.get("timezone"))
        current = city if region == self.region else None
        super().__init__("Choose a city in %s:" % self.region, [(c.replace("_", " "), c) for c in cities],
                         self.choose, current=current, on_back=back)

    def choose(self, city):
        self.flow.answers["timezone"] = "%s/%s" % (self.region, city)
        self.done()


class NtpScreen(Screen):
    TITLE = "Time servers (NTP)"
    HELP = ("The host sets its clock from NTP servers with systemd-timesyncd. Default: Debian's public pool "
            "(needs Internet access). Custom: your own servers, host names or IP addresses separated by "
            "spaces or commas. Enter on an option chooses it.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        servers = flow.answers.get("ntp-servers") or []
        group = []
        self.default = EnterRadio(group, "Default: Debian's pool (debian.pool.ntp.org)", state=not servers)
        self.custom = EnterRadio(group, "Custom servers:", state=bool(servers))
        self.servers = field("    Servers: ", " ".join(servers))
        rows = [urwid.AttrMap(self.default, None, focus_map="focus"), urwid.AttrMap(self.custom, None, focus_map="focus"),
                self.servers]
        super().__init__(rows, on_back=back, focus=1 if servers else 0,
                         intro="Where should the host get the time from?")

    def advance(self):
        row = self.focused()
        if row is self.custom:
            return self.focus_on(self.servers)
        if row is self.default:
            return self.submit()
        super().advance()

    def submit(self):
        if self.default.get_state():
            self.flow.answers.pop("ntp-servers", None)
            return self.done()
        servers = words(self.servers)
        if not servers:
            return self.fail("NTP servers: none given; fix: type at least one server, or choose Default.")
        self.commit({"ntp-servers": servers})
