# The photos a story's body shows (articles.BodyPhoto), after the library's 0007
# (issue 15: both came from parallel branches).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_lead_images_into_the_library'),
        ('photos', '0001_photo_library'),
    ]

    operations = [
        migrations.CreateModel(
            name='BodyPhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='body_photos', to='articles.article')),
                ('photo', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='body_of', to='photos.photo')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('article', 'photo'), name='body_photo_once_per_story')],
            },
        ),
    ]
