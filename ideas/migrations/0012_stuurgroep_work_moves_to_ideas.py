"""The stuurgroep's work on a plan (positions, meetings, agenda, attendance, assessments,
decisions) moves here from teams. The models keep their tables (``db_table = "teams_…"``), so no
row moves: this migration only tells Django where the models now live (teams/0006 lets go of
them), and moves their content types from "teams" to "ideas", so the permissions the role groups
have on them, admin's log and the audit trail keep pointing at them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = [
    "meeting",
    "agendaitem",
    "attendance",
    "organisationposition",
    "assessment",
    "stuurgroepdecision",
]


def move_content_types(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        kept = ContentType.objects.filter(app_label=from_label, model=model).first()
        if kept is None:  # a database migrated before any content type was made
            continue
        # After migrating back and forth, post_migrate may have made an empty one under the new
        # label; the permissions, log and audit rows point at the kept one.
        ContentType.objects.filter(app_label=to_label, model=model).delete()
        kept.app_label = to_label
        kept.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def to_ideas(apps, schema_editor):
    move_content_types(apps, "teams", "ideas")


def back_to_teams(apps, schema_editor):
    move_content_types(apps, "ideas", "teams")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ideas", "0011_idea_published_newest_index"),
        ("teams", "0005_role_permissions_for_the_stuurgroep_work"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AgendaItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('idea', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agenda_items', to='ideas.idea', verbose_name='plan')),
                    ],
                    options={
                        'verbose_name': 'agenda item',
                        'verbose_name_plural': 'agenda',
                        'db_table': 'teams_agendaitem',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField(verbose_name='date and time')),
                        ('place', models.CharField(max_length=200, verbose_name='place')),
                        ('notes', models.TextField(blank=True, max_length=2000, verbose_name='notes for the agenda')),
                        ('agenda', models.ManyToManyField(related_name='meetings', through='ideas.AgendaItem', to='ideas.idea', verbose_name='agenda')),
                        ('stuurgroep', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='teams.stuurgroep', verbose_name='stuurgroep')),
                    ],
                    options={
                        'verbose_name': 'meeting',
                        'verbose_name_plural': 'meetings',
                        'db_table': 'teams_meeting',
                        'ordering': ['-starts_at'],
                    },
                ),
                migrations.AddField(
                    model_name='agendaitem',
                    name='meeting',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='ideas.meeting'),
                ),
                migrations.CreateModel(
                    name='OrganisationPosition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stance', models.CharField(choices=[('steunt', 'supports it'), ('steunt_niet', 'does not support it'), ('neutraal', 'neutral')], max_length=12, verbose_name='position')),
                        ('explanation', models.TextField(max_length=2000, verbose_name='explanation')),
                        ('recorded_at', models.DateTimeField(auto_now=True, verbose_name='recorded')),
                        ('idea', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='positions', to='ideas.idea', verbose_name='plan')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='positions', to='teams.organisation', verbose_name='organisation')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ],
                    options={
                        'verbose_name': 'position of an organisation',
                        'verbose_name_plural': 'positions of organisations',
                        'db_table': 'teams_organisationposition',
                        'ordering': ['organisation__name'],
                    },
                ),
                migrations.CreateModel(
                    name='StuurgroepDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('outcome', models.CharField(choices=[('positief', 'positive'), ('negatief', 'negative'), ('aanhouden', 'hold over')], max_length=10, verbose_name='decision')),
                        ('public_reason', models.TextField(max_length=4000, verbose_name='public reason')),
                        ('votes_for', models.PositiveSmallIntegerField(verbose_name='votes for')),
                        ('votes_against', models.PositiveSmallIntegerField(verbose_name='votes against')),
                        ('abstentions', models.PositiveSmallIntegerField(default=0, verbose_name='abstentions')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded')),
                        ('idea', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='ideas.idea', verbose_name='plan')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='ideas.meeting', verbose_name='meeting')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'stuurgroep decision',
                        'verbose_name_plural': 'stuurgroep decisions',
                        'db_table': 'teams_stuurgroepdecision',
                        'ordering': ['-recorded_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('has_conflict', models.BooleanField(default=False, verbose_name='conflict of interest')),
                        ('conflict_note', models.CharField(blank=True, max_length=300, verbose_name='what the conflict is')),
                        ('residents_support', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'hardly any support'), (2, 'little support'), (3, 'some support'), (4, 'broad support'), (5, 'very broad support')], null=True, verbose_name='support of residents')),
                        ('professionals_support', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'hardly any support'), (2, 'little support'), (3, 'some support'), (4, 'broad support'), (5, 'very broad support')], null=True, verbose_name='support of professionals')),
                        ('recommendation', models.CharField(blank=True, choices=[('positief', 'positive'), ('negatief', 'negative'), ('aanhouden', 'hold over')], max_length=10, verbose_name='recommendation')),
                        ('remark', models.TextField(blank=True, max_length=2000, verbose_name='remark')),
                        ('recorded_at', models.DateTimeField(auto_now=True, verbose_name='recorded')),
                        ('idea', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='ideas.idea', verbose_name='plan')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='teams.stuurgroepmember', verbose_name='member')),
                    ],
                    options={
                        'verbose_name': 'assessment',
                        'verbose_name_plural': 'assessments',
                        'db_table': 'teams_assessment',
                        'ordering': ['member__seat'],
                        'constraints': [models.UniqueConstraint(fields=('idea', 'member'), name='assessment_once_per_member'), models.CheckConstraint(condition=models.Q(('has_conflict', True), models.Q(('residents_support__isnull', False), ('professionals_support__isnull', False), models.Q(('recommendation', ''), _negated=True)), _connector='OR'), name='assessment_complete_unless_conflict')],
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('present', models.BooleanField(default=False, verbose_name='present')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='teams.stuurgroepmember', verbose_name='member')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='ideas.meeting')),
                    ],
                    options={
                        'verbose_name': 'attendance',
                        'verbose_name_plural': 'attendance',
                        'db_table': 'teams_attendance',
                        'ordering': ['member__seat'],
                        'constraints': [models.UniqueConstraint(fields=('meeting', 'member'), name='attendance_once')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='agendaitem',
                    constraint=models.UniqueConstraint(fields=('meeting', 'idea'), name='agenda_item_once'),
                ),
                migrations.AddConstraint(
                    model_name='organisationposition',
                    constraint=models.UniqueConstraint(fields=('idea', 'organisation'), name='position_once_per_organisation'),
                ),
                migrations.AddConstraint(
                    model_name='stuurgroepdecision',
                    constraint=models.UniqueConstraint(fields=('idea', 'meeting'), name='decision_once_per_plan_per_meeting'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_ideas, back_to_teams),
    ]
