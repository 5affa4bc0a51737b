"""SEO: blog articles on a content calendar (their CMS life, titles, slugs), writing fees and the
SEO tool, search visits landing on the blog, and the search console report (article_daily_stats)."""
from __future__ import annotations

import numpy as np

from ..clock import DAY
from ..deliveries import Deliveries
from ..planning import BUDGET_SIGMA, NEVER, ChannelPlan, PlanContext, Sources
from ..stores import INDUSTRY_TOPICS, LOCAL_TITLES, SPECIAL_TITLES, TITLE_TEMPLATES, slugify
from ..tabular import Frame
from .tagging import SessionTags, choice

N_DRAFTS = 4  # drafts abandoned in the CMS (never published)


def _publication_days(ctx: PlanContext, seo_mult) -> np.ndarray:
    """Twelve evergreen articles from before the window, then 1 + Poisson(3 x budget) a month."""
    rng, month_idx = ctx.rng, ctx.month_idx
    art_pub_day = []
    for _ in range(12):  # evergreen articles from before the window
        art_pub_day.append(-int(rng.integers(30, 420)))
    for m in range(ctx.n_months):
        days = np.flatnonzero(month_idx == m)
        k = 1 + rng.poisson(3.0 * seo_mult[m])
        # content calendar: the month's articles go out at a steady rhythm (jittered)
        slots = days[0] + (np.arange(k) + rng.uniform(0.2, 0.8, k)) * len(days) / k
        art_pub_day += np.clip(slots.astype(np.int64), days[0], days[-1]).tolist()
    return np.array(art_pub_day, dtype=np.int64)


def _titles(ctx: PlanContext, n_art: int):
    """Title, slug and target keyword of every article; adversarial titles (markup/quotes, a prompt
    injection, a tab and a backslash) in two stores."""
    rng = ctx.rng
    topics = INDUSTRY_TOPICS[ctx.spec.industry]
    titles, slugs, keywords = [], [], []
    special = {0: {1: SPECIAL_TITLES[0], 4: SPECIAL_TITLES[1], 7: "Back\\slash & tab\there: a style memo"},
               1: {2: SPECIAL_TITLES[1]}}.get(ctx.index, {})
    local = list(LOCAL_TITLES.get(ctx.spec.store_id, []))
    for a in range(n_art):
        topic_a = topics[int(rng.integers(len(topics)))]
        tpl = TITLE_TEMPLATES[int(rng.integers(len(TITLE_TEMPLATES)))]
        title = tpl.format(n=int(rng.integers(3, 15)), Topic=topic_a[0].upper() + topic_a[1:])
        if a in special and a < n_art:
            title = special[a]
        elif local and rng.random() < 0.15:
            title = local.pop(0)
        titles.append(title)
        slugs.append(slugify(title, "article") + f"-{1001 + a}")
        keywords.append(topic_a.lower())
    return titles, slugs, keywords


def _articles(ctx: PlanContext, art_pub_day: np.ndarray) -> dict:
    """The CMS life of every article: draft (created 3-40 days before publication), scheduled 2-25
    days ahead for 60 % of them, published, archived 90-400 days later for 8 %; N_DRAFTS drafts are
    abandoned. Every step is a status change the CMS delivers."""
    rng, clock, start_day = ctx.rng, ctx.clock, ctx.start_day
    n_pub = len(art_pub_day)
    n_art = n_pub + N_DRAFTS
    archive_day = np.full(n_art, NEVER, dtype=np.int64)
    archive_after = rng.integers(90, 400, n_pub)
    arch = np.flatnonzero(rng.random(n_pub) < 0.08)
    archive_day[arch] = art_pub_day[arch] + archive_after[arch]
    titles, slugs, keywords = _titles(ctx, n_art)
    art_ids = np.array([f"art-{ctx.spec.code}-{1001 + a}" for a in range(n_art)], dtype=object)
    pub_hour = rng.integers(6, 12, n_art)
    published_at = np.zeros(n_art, dtype=np.int64)
    published_at[:n_pub] = clock.to_utc((start_day + art_pub_day) * DAY + pub_hour[:n_pub] * 3600)
    created_at = published_at - rng.integers(3, 40, n_art) * DAY
    created_at[n_pub:] = clock.to_utc((start_day + rng.integers(0, ctx.n, N_DRAFTS)) * DAY + 10 * 3600)
    lead = rng.integers(2, 26, n_art)
    scheduled_at = clock.to_utc((start_day + np.append(art_pub_day, np.zeros(N_DRAFTS, np.int64)) - lead) * DAY
                                + 15 * 3600)
    scheduled_at[(rng.random(n_art) >= 0.6) | (scheduled_at <= created_at + 3600)] = 0  # straight to published
    scheduled_at[n_pub:] = 0
    archived_at = np.where(archive_day < NEVER, clock.to_utc((start_day + archive_day) * DAY + 11 * 3600), 0)
    return dict(article_id=art_ids, title=np.array(titles, dtype=object), slug=np.array(slugs, dtype=object),
                target_keyword=np.array(keywords, dtype=object), created_at=created_at, scheduled_at=scheduled_at,
                published_at=published_at, archived_at=archived_at, n_pub=n_pub, pub_day=art_pub_day,
                archive_day=archive_day)


def _writing_fees(ctx: PlanContext, seo_mult, art_pub_day: np.ndarray) -> np.ndarray:
    """Each month's content budget split over the month's articles (cents; 0 before the window)."""
    rng, month_idx = ctx.rng, ctx.month_idx
    content_m = np.array([ctx.spend_target["seo"] * 0.8 * seo_mult[m] * (month_idx == m).sum()
                          for m in range(ctx.n_months)])
    in_window = np.flatnonzero(art_pub_day >= 0)
    fee = np.zeros(len(art_pub_day))
    for m in range(ctx.n_months):
        arts = in_window[month_idx[art_pub_day[in_window]] == m]
        if len(arts):
            w_ = np.exp(rng.normal(0, 0.2, len(arts)))
            fee[arts] = content_m[m] * w_ / w_.sum()
    return ctx.money(fee)


def plan_seo(ctx: PlanContext) -> ChannelPlan:
    """Articles and their search traffic weight (popularity x ramp-up, growing domain authority);
    writing fees booked on the publication day, the SEO tool on its billing day (and one credit)."""
    rng, n, start, hist = ctx.rng, ctx.n, ctx.start, ctx.hist
    seo_mult = ctx.budget_mult(BUDGET_SIGMA["seo"], seasonal=False, growth_rate=0.2)
    art_pub_day = _publication_days(ctx, seo_mult)
    n_pub = len(art_pub_day)
    articles = _articles(ctx, art_pub_day)
    art_ids, titles, archive_day = articles["article_id"], articles["title"], articles["archive_day"]
    popularity = np.exp(rng.normal(0, 1.0, n_pub))
    days = np.arange(n)[:, None]
    age = days - art_pub_day[None, :]
    W_seo = popularity[None, :] * np.where(age > 0, 1 - np.exp(-np.maximum(age, 0) / 35.0), 0.0)
    W_seo *= days < archive_day[None, :n_pub]
    W_seo *= (1 + 0.3 * (days / hist))  # domain authority grows
    seo_weekly = np.array([1.04, 1.05, 1.04, 1.02, 0.97, 0.86, 0.95])[ctx.dow]
    sources = Sources(W=W_seo, start_utc=articles["published_at"][:n_pub], ids=art_ids[:n_pub],
                      meta=dict(slug=articles["slug"][:n_pub]))
    # costs: writer fees on publication + tool subscription
    seo_tool = ctx.round_price(ctx.spend_target["seo"] * 0.2 * 30.4)
    fee_c = _writing_fees(ctx, seo_mult, art_pub_day)
    seo_drv = np.zeros(n)
    for a in np.flatnonzero(art_pub_day >= 0):
        seo_drv[art_pub_day[a]] += fee_c[a] / 100.0  # booked on the publication day
        ctx.ledger_rows.append(("seo", "article", art_ids[a], int(art_pub_day[a]), int(fee_c[a]),
                                f"Article writing fee: {titles[a][:60]}"))
    seo_tool_daily = np.zeros(n)
    credit_m = int(rng.integers(0, ctx.n_months))
    for m, ms in enumerate(ctx.month_starts):
        first = max((ms - start).days, 0)
        ctx.ledger_rows.append(("seo", "tool", None, first, int(ctx.money(seo_tool).item()),
                                "Semrush Guru subscription"))
        seo_tool_daily[first] += int(ctx.money(seo_tool).item()) / 100.0  # booked on its billing day
        if m == credit_m:  # a credit is an accounting correction, not activity: not part of the driver
            ctx.ledger_rows.append(("seo", "tool", None, min(first + 3, ctx.end_idx),
                                    -int(ctx.money(seo_tool * 0.5).item()),
                                    "Semrush credit: downgraded plan (prorated)"))
    budget = float(ctx.spend_target["seo"] * 0.8 * ctx.recent_mean(seo_mult) * 30.4 + seo_tool)
    return ChannelPlan(driver=seo_drv + seo_tool_daily, sources=sources, activity=W_seo.sum(axis=1) * seo_weekly,
                       budget=budget, tables={"blog_articles": articles})


def blog_landings(rng, plan, s_ch: np.ndarray, s_src: np.ndarray, seo_code: int, landing: np.ndarray) -> np.ndarray:
    """75 % of search visits with an article land on its blog page (5 % with a trailing slash);
    returns the mask of blog landings (the visits search console counts)."""
    n = len(s_ch)
    seo = np.flatnonzero((s_ch == seo_code) & (s_src >= 0))
    blog_landing = np.zeros(n, dtype=bool)
    to_blog = seo[rng.random(len(seo)) < 0.75]
    blog_landing[to_blog] = True
    slugs = plan.sources["seo"].meta["slug"]
    bl = "/blog/" + slugs[s_src[to_blog]]
    slash = rng.random(len(to_blog)) < 0.05
    bl[slash] = bl[slash] + "/"
    landing[to_blog] = bl
    return blog_landing


def tag_sessions(rng, plan, m: np.ndarray, tags: SessionTags) -> None:
    """Search visits `m`: a search engine's host as referrer, no UTM."""
    hosts = plan.spec.search_hosts
    tags.referrer[m] = choice(rng, [h for h, _ in hosts], [p for _, p in hosts], len(m))


def platform_deliveries(plan, rng, sessions: np.ndarray) -> Deliveries:
    """article_daily_stats from the blog visits of each published article (until archived): clicks,
    impressions by a CTR that follows the article's average position as it climbs, page stats."""
    b = plan.tables["blog_articles"]
    n_pub = b["n_pub"]
    pub_day, arch = b["pub_day"][:n_pub], b["archive_day"][:n_pub]
    first = np.maximum(pub_day, 0)
    last = np.minimum(arch - 1, plan.n_days - 1)
    lens = np.maximum(last - first + 1, 0)
    aa = np.repeat(np.arange(n_pub), lens)
    dd = np.concatenate([np.arange(f, f + ln) for f, ln in zip(first, lens)]) if len(aa) else np.zeros(0, np.int64)
    sess = sessions[dd, aa]
    clicks = sess + rng.poisson(sess * 0.25 + 0.15)
    age = dd - pub_day[aa]
    p_start = rng.uniform(18, 45, n_pub)
    p_final = np.exp(rng.normal(np.log(7), 0.5, n_pub))
    position = np.clip(p_final[aa] + (p_start[aa] - p_final[aa]) * np.exp(-age / 60.0)
                       + rng.normal(0, 0.8, len(aa)), 1.0, 99.0)
    ctr = np.clip(0.05 * (position / 3.0) ** -0.6, 0.01, 0.05)
    impressions = clicks + rng.poisson((clicks + 0.1) / ctr)
    pageviews = np.round(clicks * rng.uniform(1.1, 1.6, len(aa))).astype(np.int64) + rng.poisson(0.3, len(aa))
    uniq = np.round(pageviews * rng.uniform(0.8, 0.95, len(aa))).astype(np.int64)
    no_pv = pageviews == 0
    top = np.round(np.exp(rng.normal(np.log(95), 0.4, len(aa))) * 100).astype(np.int64)
    bounce = np.round(rng.uniform(0.45, 0.85, len(aa)) * 10000).astype(np.int64)
    return Deliveries.once(Frame("article_daily_stats", dict(
        store_id=plan.spec.store_id, article_id=b["article_id"][aa], date=plan.day_epoch(dd), impressions=impressions,
        organic_clicks=clicks, avg_position=np.round(position * 100).astype(np.int64), pageviews=pageviews,
        unique_visitors=uniq, avg_time_on_page_s=top, bounce_rate=bounce, _loaded_at=0),
        masks={"avg_time_on_page_s": no_pv, "bounce_rate": no_pv}), dd)
