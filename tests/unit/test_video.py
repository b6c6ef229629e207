"""Video links: allowed forms give exact privacy-enhanced embed URLs; others fail."""

import pytest

from ideation.governor.video import (
    Video,
    VideoLinkError,
    allowed_origins,
    parse_video_url,
)

YT = "dQw4w9WgXcQ"
YT_EMBED = f"https://www.youtube-nocookie.com/embed/{YT}"
VIMEO_EMBED = "https://player.vimeo.com/video/76979871?dnt=1"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={YT}",
        f"https://youtube.com/watch?v={YT}",
        f"http://www.youtube.com/watch?v={YT}",
        f"https://m.youtube.com/watch?v={YT}",
        f"https://www.youtube.com/watch?v={YT}&t=42s&list=PL123",
        f"https://www.youtube.com/watch?feature=share&v={YT}",
        f"https://youtu.be/{YT}",
        f"https://youtu.be/{YT}?si=abc123&t=10",
        f"http://youtu.be/{YT}",
        f"https://www.youtube.com/embed/{YT}",
        f"https://www.youtube.com/embed/{YT}?start=5",
        f"https://www.youtube.com/shorts/{YT}",
        f"https://www.youtube-nocookie.com/embed/{YT}",
        f"HTTPS://WWW.YOUTUBE.COM/watch?v={YT}",
        f"  https://youtu.be/{YT}  ",
        f"youtu.be/{YT}",
        f"www.youtube.com/watch?v={YT}",
    ],
)
def test_youtube_links_give_the_nocookie_embed(url):
    video = parse_video_url(url)
    assert video == Video("youtube", YT)
    assert video.embed_url == YT_EMBED


@pytest.mark.parametrize(
    "url",
    [
        "https://vimeo.com/76979871",
        "http://vimeo.com/76979871",
        "https://www.vimeo.com/76979871",
        "https://vimeo.com/76979871/",
        "https://player.vimeo.com/video/76979871",
        "https://player.vimeo.com/video/76979871?h=abc&autoplay=1",
        "vimeo.com/76979871",
    ],
)
def test_vimeo_links_give_the_do_not_track_embed(url):
    video = parse_video_url(url)
    assert video == Video("vimeo", "76979871")
    assert video.embed_url == VIMEO_EMBED


@pytest.mark.parametrize(
    "url",
    [
        f"https://youtube.com.evil.example/watch?v={YT}",
        f"https://evilyoutube.com/watch?v={YT}",
        f"https://youtube.evil.example/watch?v={YT}",
        f"https://www.youtube.com.evil.example/embed/{YT}",
        f"https://youtu.be.evil.example/{YT}",
        f"https://evil.example/youtube.com/watch?v={YT}",
        f"https://evil.example/?u=https://youtu.be/{YT}",
        f"https://www.youtube.com@evil.example/watch?v={YT}",
        f"https://evil.example@www.youtube.com/watch?v={YT}",
        f"https://www.youtube.com:8080/watch?v={YT}",
        f"https://www.youtube.com:443/watch?v={YT}",
        f"https://www.youtube.com./watch?v={YT}",
        f"https://yоutube.com/watch?v={YT}",  # a Cyrillic "о"
        "https://vimeo.com.evil.example/76979871",
        "https://notvimeo.com/76979871",
        "https://dailymotion.com/video/x7tgad0",
    ],
)
def test_other_and_lookalike_hosts_are_refused(url):
    with pytest.raises(VideoLinkError) as refused:
        parse_video_url(url)
    assert refused.value.reason == "host"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)//youtu.be/dQw4w9WgXcQ",
        "data:text/html,<script>alert(1)</script>",
        f"ftp://youtu.be/{YT}",
        f"//youtu.be/{YT}",
        f"/watch?v={YT}",
        f"https://youtu.be/{YT}\n<script>",
        f"https://youtu.be/ {YT}",
        "",
        "   ",
        "https://youtu.be/" + "a" * 600,
    ],
)
def test_non_web_addresses_are_refused(url):
    with pytest.raises(VideoLinkError) as refused:
        parse_video_url(url)
    assert refused.value.reason == "address"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch",
        "https://www.youtube.com/watch?v=",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",  # 12 characters
        f"https://www.youtube.com/watch?v={YT}&v=aaaaaaaaaaa",
        "https://www.youtube.com/watch?v=dQw4w9WgX%22Q",
        "https://www.youtube.com/watch?v=dQw4w9<b>cQ",
        "https://www.youtube.com/watch?v=../../../xx",
        f"https://www.youtube.com/embed/{YT}/extra",
        f"https://www.youtube.com/shorts/{YT}/extra",
        f"https://youtu.be/{YT}/extra",
        f"https://youtu.be/watch?v={YT}",
        f"https://www.youtube.com/{YT}",
        f"https://www.youtube.com/watch/{YT}",
        f"https://www.youtube.com/playlist?list={YT}",
        "https://www.youtube.com/@somechannel",
        f"https://www.youtube.com/embed/?v={YT}",
        "https://youtu.be/",
        "https://vimeo.com/",
        "https://vimeo.com/channels/staffpicks/76979871",
        "https://vimeo.com/76979871/extra",
        "https://vimeo.com/abc",
        "https://vimeo.com/0123",
        "https://vimeo.com/1234567890123",
        "https://player.vimeo.com/76979871",
        "https://player.vimeo.com/video/76979871/extra",
        "https://player.vimeo.com/video/abc",
    ],
)
def test_links_without_a_valid_video_are_refused(url):
    with pytest.raises(VideoLinkError) as refused:
        parse_video_url(url)
    assert refused.value.reason == "video"


def test_the_allowlist_limits_providers():
    with pytest.raises(VideoLinkError) as refused:
        parse_video_url("https://vimeo.com/76979871", providers=("youtube",))
    assert refused.value.reason == "host"
    assert parse_video_url(f"https://youtu.be/{YT}", providers=("youtube",))
    assert allowed_origins(("youtube",)) == ["https://www.youtube-nocookie.com"]
    assert allowed_origins() == [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]


@pytest.mark.parametrize(
    ("provider", "video_id"),
    [
        ("youtube", "short"),
        ("youtube", 'dQw4w9WgX"Q'),
        ("vimeo", "12a"),
        ("vimeo", "1/../2"),
        ("dailymotion", "x7tgad0"),
    ],
)
def test_a_video_is_only_ever_built_from_a_valid_id(provider, video_id):
    # A stored row changed by hand still cannot put anything else in an embed src.
    with pytest.raises(ValueError):
        Video(provider, video_id)
