"""The demo's live story: a typhoon reaching Hong Kong, told in twelve entries over three
hours (one pinned, three key points, one corrected, one with a photo from the library).

The storm and its figures are invented for the demo; the places, the warning signals
and the agencies are Hong Kong's own, so the copy reads as a newsroom would file it.
Idempotent as the rest of seed_demo: the story is found by its slug, each entry by its
time (a fixed number of minutes after the story went live), and the photos by title.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, Credit
from demo import photos
from live.models import Entry, EntryCorrection
from photos.models import Photo

LIVE_SLUG = "typhoon-wutip-hong-kong-live"
# How long before the first seeding the coverage opened.
OPENED_AGO = timedelta(hours=3)
LIVE_TAGS = ["Hong Kong", "Typhoons", "Weather", "China"]
ENTRY_PHOTO_TITLE = "Demo photo: typhoon-wutip waterfront"


@dataclass(frozen=True)
class DemoEntry:
    minutes: int  # after the story went live
    headline: str
    paragraphs: tuple
    authors: tuple  # slugs of seed_demo's people
    pinned: bool = False
    key_point: bool = False
    correction: str = ""
    photo: bool = False


OLIVIA, DAVID, MAYA = "olivia-wang", "david-pierson", "maya-brooks"

ENTRIES = [
    DemoEntry(
        0,
        "No. 8 gale signal raised as Typhoon Wutip nears Hong Kong",
        (
            "The Hong Kong Observatory raised the No. 8 gale or storm signal this afternoon "
            "as Typhoon Wutip tracked west-northwest across the South China Sea, about 200 "
            "kilometres from the city.",
            "Under the signal, schools and most offices close, and the stock exchange halts "
            "trading. The Observatory said winds would strengthen through the evening and "
            "did not rule out higher signals.",
        ),
        (OLIVIA,),
        key_point=True,
    ),
    DemoEntry(
        12,
        "",
        (
            "Ferry services to Lantau, Lamma and Cheung Chau have been suspended, and the "
            "Star Ferry stopped crossing Victoria Harbour. The MTR said trains would keep "
            "running on all lines, with longer waits on open-air sections.",
        ),
        (OLIVIA,),
    ),
    DemoEntry(
        25,
        "Shenzhen shuts schools and building sites",
        (
            "Across the border, the Shenzhen authorities closed schools, halted outdoor "
            "construction and asked residents of low-lying districts to stay indoors. More "
            "than 150 flights at Bao’an International Airport were cancelled.",
        ),
        (DAVID,),
    ),
    DemoEntry(
        41,
        "",
        (
            "Cathay Pacific said it would cancel most of its flights in and out of Hong "
            "Kong until tomorrow morning. The Airport Authority counted more than 400 "
            "cancelled departures and arrivals and asked travellers not to come to the "
            "terminal without a confirmed booking.",
        ),
        (OLIVIA,),
    ),
    DemoEntry(
        55,
        "Waves over the waterfront",
        (
            "Waves broke over the promenade at Heng Fa Chuen, on the island’s eastern "
            "shore, where residents on lower floors had been told to move their cars and "
            "seal their doors with sandbags.",
        ),
        (OLIVIA,),
        photo=True,
    ),
    DemoEntry(
        70,
        "",
        (
            "The Home Affairs Department has opened 30 temporary shelters across the city. "
            "By early evening, 180 people had registered at them, most from villages on "
            "the outlying islands.",
        ),
        (MAYA,),
    ),
    DemoEntry(
        88,
        "Observatory raises Signal No. 10, the highest",
        (
            "The Observatory raised the No. 10 hurricane signal, the highest warning in Hong "
            "Kong’s system, as Wutip’s eye wall came within 80 kilometres of the city. "
            "Hurricane-force winds were recorded on Waglan Island.",
            "The government urged everyone to stay indoors, away from windows, until the "
            "signal is lowered.",
        ),
        (OLIVIA, DAVID),
        key_point=True,
    ),
    DemoEntry(
        104,
        "",
        (
            "At least 12 people have been treated in hospitals for storm injuries, most of "
            "them from falling debris and broken glass, the Hospital Authority said.",
        ),
        (MAYA,),
        correction="An earlier version of this entry said 21 people had been treated. "
        "The Hospital Authority’s figure is 12.",
    ),
    DemoEntry(
        121,
        "Fallen trees block roads in Kowloon",
        (
            "The Highways Department has received more than 200 reports of fallen trees. "
            "Tai Po Road is closed in both directions between Shek Kip Mei and Sha Tin, and "
            "several bus routes in Kowloon have been suspended.",
        ),
        (OLIVIA,),
    ),
    DemoEntry(
        139,
        "",
        (
            "CLP Power said about 3,000 households in the New Territories, mostly in Sai "
            "Kung and Tai Po, had lost electricity. Crews will go out once the winds drop "
            "below gale force.",
        ),
        (MAYA,),
    ),
    DemoEntry(
        158,
        "Wutip passes its closest point; signals may be lowered overnight",
        (
            "The eye of the storm passed about 60 kilometres south of the Observatory’s "
            "headquarters in Tsim Sha Tsui and is now moving away to the west, toward the "
            "coast of Guangdong.",
            "The Observatory said it would consider replacing Signal No. 10 with lower "
            "signals after midnight if the winds ease as expected.",
        ),
        (OLIVIA,),
        key_point=True,
    ),
    DemoEntry(
        172,
        "What we know",
        (
            "Typhoon Wutip brought the city’s highest warning signal, No. 10, for the first "
            "time this year. Schools, the stock exchange, ferries and most flights are "
            "suspended; the MTR is running.",
            "At least 12 people have been hurt. More than 200 trees have fallen, and about "
            "3,000 households have no power. We will update this page through the night.",
        ),
        (OLIVIA, DAVID),
        pinned=True,
    ),
]

LIVE_STORY = {
    "headline": "Typhoon Wutip reaches Hong Kong: live updates",
    "dek": "The city raised its highest warning signal as the storm passed to the south, "
    "closing schools, markets and the airport.",
    "body": "<p>Follow our reporters in Hong Kong and Shenzhen as Typhoon Wutip passes the "
    "Pearl River Delta. The newest updates are first.</p>",
    "dateline": "HONG KONG",
}


def load_live_story(sections, people):
    """The open live story and its twelve entries (seed_demo gives it a lead photo)."""
    story, created = Article.objects.get_or_create(
        slug=LIVE_SLUG,
        defaults={
            **LIVE_STORY,
            "kind": Article.Kind.LIVE,
            "section": sections["world"],
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now().replace(second=0, microsecond=0) - OPENED_AGO,
        },
    )
    if created:
        story.tags.set(LIVE_TAGS)
        for position, slug in enumerate((OLIVIA, DAVID)):
            Credit.objects.create(article=story, person=people[slug], position=position)
    for demo in ENTRIES:
        load_entry(story, demo, people)
    return story


def load_entry(story, demo, people):
    body = "\n".join(f"<p>{escape(p)}</p>" for p in demo.paragraphs)
    if demo.photo:
        body = f'<figure data-photo="{entry_photo().pk}"></figure>\n{body}'
    entry, created = Entry.objects.get_or_create(
        story=story,
        published_at=story.published_at + timedelta(minutes=demo.minutes),
        defaults={
            "headline": demo.headline,
            "body": body,
            "is_pinned": demo.pinned,
            "is_key_point": demo.key_point,
        },
    )
    if created:
        entry.authors.set([people[slug] for slug in demo.authors])
        if demo.correction:
            EntryCorrection.objects.create(
                entry=entry,
                text=demo.correction,
                published_at=entry.published_at + timedelta(minutes=9),
            )
    return entry


def entry_photo():
    return Photo.objects.filter(title=ENTRY_PHOTO_TITLE).first() or photos.library_photo(
        "typhoon-wutip-waterfront", ENTRY_PHOTO_TITLE, "demo-typhoon-wutip-waterfront.jpg"
    )
