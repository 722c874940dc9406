"""The stuurgroep's work on a plan (positions, meetings, agenda, attendance, assessments,
decisions) moves to the ideas app (ideas/0012 takes it over). Only Django's idea of where the
models live changes: the tables keep their names (``teams_meeting`` …) and their rows, so this
migration touches no table."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("teams", "0005_role_permissions_for_the_stuurgroep_work"),
        # The models are in ideas first, so nothing is ever without them.
        ("ideas", "0012_stuurgroep_work_moves_to_ideas"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='meeting',
                    name='agenda',
                ),
                migrations.RemoveField(
                    model_name='assessment',
                    name='idea',
                ),
                migrations.RemoveField(
                    model_name='assessment',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='attendance',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='attendance',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='stuurgroep',
                ),
                migrations.RemoveField(
                    model_name='stuurgroepdecision',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='organisationposition',
                    name='idea',
                ),
                migrations.RemoveField(
                    model_name='organisationposition',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='organisationposition',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='stuurgroepdecision',
                    name='idea',
                ),
                migrations.RemoveField(
                    model_name='stuurgroepdecision',
                    name='recorded_by',
                ),
                migrations.DeleteModel(
                    name='AgendaItem',
                ),
                migrations.DeleteModel(
                    name='Assessment',
                ),
                migrations.DeleteModel(
                    name='Attendance',
                ),
                migrations.DeleteModel(
                    name='Meeting',
                ),
                migrations.DeleteModel(
                    name='OrganisationPosition',
                ),
                migrations.DeleteModel(
                    name='StuurgroepDecision',
                ),
            ],
            database_operations=[],
        ),
    ]
