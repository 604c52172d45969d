
from ..commands import Context, OFFERER, Text, clean_text, command


# --- Reformulation, private notes ---------------------------------------------------------


@command("write_request", roles={OFFERER}, activities={"reformulate", "reflect", "exchange", "harvest"})
def write_request(context: Context, text: Text) -> None:
    context.table.help_request = clean_text(context, text, "request")
