"""The editors' desk in the admin: stories, live entries, people, sections and tags
(one module each)."""

from django.contrib import admin
from taggit.models import Tag

from articles.models import Article, Person, Section
from live.models import Entry
from newsdesk import revisions
from newsdesk.live_admin import EntryAdmin
from newsdesk.person_admin import PersonAdmin
from newsdesk.section_admin import SectionAdmin
from newsdesk.story_admin import ArticleAdmin
from newsdesk.tag_admin import TagAdmin

revisions.register()
admin.site.register(Article, ArticleAdmin)
admin.site.register(Entry, EntryAdmin)
admin.site.register(Person, PersonAdmin)
admin.site.register(Section, SectionAdmin)
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)  # taggit's own, replaced by one that renames and merges
admin.site.register(Tag, TagAdmin)
