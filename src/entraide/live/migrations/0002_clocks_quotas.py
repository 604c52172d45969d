"""One clock rule: the session keeps its pauses as intervals instead of one number of paused
seconds for the step; turns get their own added time; participants get a write quota and a
command token bucket."""

from datetime import timedelta

from django.db import migrations, models


def paused_seconds_to_pauses(apps, schema_editor):
    """A running session's accumulated pause becomes one closed pause at the start of its step:
    the step's clock shows the same time as before."""
    LiveSession = apps.get_model("live", "LiveSession")
    for session in LiveSession._base_manager.filter(paused_seconds__gt=0, step_started_at__isnull=False):
        start = session.step_started_at
        end = start + timedelta(seconds=session.paused_seconds)
        session.pauses = [[start.isoformat(), end.isoformat()]]
        session.save(update_fields=["pauses"])


def pauses_to_paused_seconds(apps, schema_editor):
    LiveSession = apps.get_model("live", "LiveSession")
    for session in LiveSession._base_manager.exclude(pauses=[]):
        session.paused_seconds = 0  # the intervals cannot be folded back exactly; the step's clock restarts its pauses
        session.save(update_fields=["paused_seconds"])


class Migration(migrations.Migration):

    dependencies = [
        ("live", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="livesession",
            name="pauses",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(paused_seconds_to_pauses, pauses_to_paused_seconds),
        migrations.RemoveField(
            model_name="livesession",
            name="paused_seconds",
        ),
        migrations.AddField(
            model_name="livesession",
            name="turn_extra_seconds",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="participant",
            name="command_tokens",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="participant",
            name="command_tokens_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="participant",
            name="written_bytes",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="participant",
            name="written_items",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
