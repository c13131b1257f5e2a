"""Figures as people read them, one way on every page, PDF and email: "$3,500,000", "28,800 units", "9.5 MW", "72.5%".

Pure functions; the template filters in `rfp/templatetags/figures.py` and the answer rows of
`rfp.selectors.proposal_answer_summary` both use them.
"""

from decimal import Decimal, InvalidOperation

NOTHING = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        figure = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return figure if figure.is_finite() else None


def number(value) -> str:
    """A decimal without trailing zeros and with thousands separators: 30.00 gives "30" (never "3E+1"), 1234.50
    gives "1,234.5"."""
    figure = _decimal(value)
    if figure is None:
        return NOTHING if value in (None, "") else str(value)
    text = f"{figure:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def count(value) -> str:
    """A whole number with thousands separators: "28,800"."""
    figure = _decimal(value)
    if figure is None:
        return NOTHING if value in (None, "") else str(value)
    return f"{figure.to_integral_value():,f}"


def money(value) -> str:
    """US dollars: "$3,500,000", with cents only when there are some: "$41,000.50"."""
    figure = _decimal(value)
    if figure is None:
        return NOTHING if value in (None, "") else str(value)
    cents = figure.quantize(Decimal("0.01"))
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    if cents == cents.to_integral_value():
        return f"{sign}${cents.to_integral_value():,f}"
    return f"{sign}${cents:,.2f}"


def percent(value) -> str:
    """A share: "72.5%", "100%"."""
    text = number(value)
    return text if text == NOTHING or _decimal(value) is None else f"{text}%"


def quantity(value, unit: str, *, whole: bool = False) -> str:
    """A figure with its unit: "28,800 units", "9.5 MW", "1 week" / "12 weeks" (a unit given as "week|weeks")."""
    figure = _decimal(value)
    if figure is None:
        return NOTHING if value in (None, "") else str(value)
    text = count(figure) if whole else number(figure)
    singular, _, plural = unit.partition("|")
    return f"{text} {singular if figure == 1 or not plural else plural}"


# How each figure a supplier answers reads; a name not here reads as a plain count or number.
_ANSWER_FIGURES: dict[str, object] = {
    "current_annual_capacity_units": lambda v: quantity(v, "unit|units", whole=True),
    "annual_capacity_units": lambda v: quantity(v, "unit|units", whole=True),
    "asks_offtake_units": lambda v: quantity(v, "unit|units", whole=True),
    "annual_units": lambda v: quantity(v, "unit|units", whole=True),
    "final_assembly_units_per_month": lambda v: quantity(v, "unit|units", whole=True),
    "lead_time_weeks": lambda v: quantity(v, "week|weeks", whole=True),
    "price_validity_days": lambda v: quantity(v, "day|days", whole=True),
    "site_power_mw": lambda v: quantity(v, "MW"),
    "rack_power_density_kw": lambda v: quantity(v, "kW/rack"),
    "cooling_capacity_kw": lambda v: quantity(v, "kW"),
    "power_per_unit_kw": lambda v: quantity(v, "kW"),
    "rated_torque_nm": lambda v: quantity(v, "N·m"),
    "peak_torque_nm": lambda v: quantity(v, "N·m"),
    "gear_ratio": lambda v: f"{number(v)}:1",
    "domestic_content_pct": percent,
    "asks_prepayment_pct": percent,
    "asks_co_investment_usd": money,
    "unit_price_usd": money,
    "total_price_usd": money,
}


def answer_label(name: str, label: str) -> str:
    """The label of an answer whose figure carries its unit, without the unit: "Lead time" for "Lead time (weeks)"."""
    if name in _ANSWER_FIGURES and label.endswith(")") and " (" in label:
        return label[: label.rindex(" (")]
    return label


def answer_figure(name: str, value) -> str:
    """One figure of a proposal's answers, by the name of its field: "28,800 units", "$3,500,000", "9.5 MW"."""
    if name in _ANSWER_FIGURES:
        return _ANSWER_FIGURES[name](value)
    return count(value) if isinstance(value, int) else number(value)


def counted(figure: int, noun: str, plural: str = "") -> str:
    """A count with its noun in the right number: "1 review", "2 reviews", "1,200 proposals"."""
    return f"{count(figure)} {noun if figure == 1 else plural or f'{noun}s'}"


def sentence(text: str) -> str:
    """Text ended by one full stop, even when it ends with a name that has its own: "… for Rust Belt Robotics, Inc."."""
    return text if text.endswith((".", "!", "?")) else f"{text}."
