"""All web sessions of one store: journey touches and non-converting visits in time order, and
their rows (behaviour, landing path, referrer and UTM tags by channel, visitor and customer ids)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .channels import ads, email, influencer, seo, social
from .channels.tagging import SessionTags, choice
from .plan import StorePlan
from .stores import CH, PRODUCT_WORDS, SESSION_CHANNELS
from .tabular import str_ids
from .touches import Touches
from .visits import Visits

SEO, INF, SOC, ADS, EML, REF, DIR = (CH[c] for c in SESSION_CHANNELS)
BOUNCE_P = np.array([0.55, 0.5, 0.6, 0.5, 0.35, 0.45, 0.4])  # by session channel


@dataclass
class Sessions:
    """Every session of the world, by (start, visitor)."""
    t: np.ndarray
    ch: np.ndarray
    src: np.ndarray
    visitor: np.ndarray
    customer: np.ndarray
    converting: np.ndarray  # part of an order's journey
    last: np.ndarray  # the session an order was placed in
    day: np.ndarray  # local day index
    n_visitor: int

    @property
    def n(self) -> int:
        return len(self.t)


def merge_sessions(plan: StorePlan, touches: Touches, visits: Visits) -> Sessions:
    n_touch, n_visit = len(touches.t), len(visits.t)
    t = np.concatenate([touches.t, visits.t])
    ch = np.concatenate([touches.ch, visits.ch])
    src = np.concatenate([touches.src, visits.src])
    vis = np.concatenate([touches.browser, visits.visitor])
    cust = np.concatenate([touches.customer, visits.customer])
    conv = np.concatenate([np.ones(n_touch, dtype=bool), np.zeros(n_visit, dtype=bool)])
    last = np.concatenate([touches.is_last, np.zeros(n_visit, dtype=bool)])
    so = np.lexsort((vis, t))
    t, ch, src, vis, cust, conv, last = (a[so] for a in (t, ch, src, vis, cust, conv, last))
    return Sessions(t=t, ch=ch, src=src, visitor=vis, customer=cust, converting=conv, last=last,
                    day=plan.clock.day_index(t), n_visitor=visits.n_visitor)


def _behaviour(rng, s: Sessions):
    """Bounce (never the ordering session), pageviews and duration."""
    n = s.n
    p_b = BOUNCE_P[s.ch] * np.where(s.converting, 0.6, 1.0)
    bounced = (rng.random(n) < p_b) & ~s.last
    pv = np.where(bounced, 1, 2 + rng.poisson(np.where(s.last, 5.0, 3.0)))
    dur = np.where(bounced, rng.integers(0, 30, n),
                   (pv * rng.gamma(2.0, 28.0, n) + rng.integers(5, 60, n)).astype(np.int64))
    return bounced, pv, dur


def _landing_paths(plan: StorePlan, rng, s: Sessions):
    """Product, collection or home pages (direct visits favour home and cart); search visits with
    an article land on the blog. Returns (landing, blog landing mask)."""
    n = s.n
    products = [f"/products/{p}" for p in PRODUCT_WORDS[plan.spec.industry]]
    general = ["/", "/cart", "/collections/new", "/collections/sale", "/collections/bestsellers"] + products
    gen_arr = np.array(general, dtype=object)
    landing = np.empty(n, dtype=object)
    r = rng.random(n)
    prod_pick = gen_arr[5 + rng.integers(0, len(products), n)]
    coll_pick = gen_arr[2 + rng.integers(0, 3, n)]
    landing[:] = np.where(r < 0.55, prod_pick, np.where(r < 0.8, coll_pick, "/"))
    d = s.ch == DIR
    landing[d] = np.where(r[d] < 0.45, "/",
                          np.where(r[d] < 0.85, prod_pick[d], np.where(r[d] < 0.9, "/cart", coll_pick[d])))
    blog_landing = seo.blog_landings(rng, plan, s.ch, s.src, SEO, landing)
    return landing, blog_landing


def _tag_referrals(rng, plan: StorePlan, m: np.ndarray, tags: SessionTags) -> None:
    """Referral visits `m`: a referring site's host, or (10 %) a tagged partner link."""
    tagged = rng.random(len(m)) < 0.1
    hosts = plan.spec.referral_hosts
    tags.referrer[m[~tagged]] = choice(rng, hosts, np.ones(len(hosts)), int((~tagged).sum()))
    tags.utm_source[m[tagged]] = "partner-blog"
    tags.utm_medium[m[tagged]] = "referral"


def _tags(plan: StorePlan, rng, s: Sessions) -> SessionTags:
    """Referrer and UTM columns, channel by channel (the order of the draws is fixed)."""
    tags = SessionTags.empty(s.n)
    seo.tag_sessions(rng, plan, np.flatnonzero(s.ch == SEO), tags)
    _tag_referrals(rng, plan, np.flatnonzero(s.ch == REF), tags)
    email.tag_sessions(rng, plan, np.flatnonzero(s.ch == EML), s.src, tags)
    ads.tag_sessions(rng, plan, np.flatnonzero((s.ch == ADS) & (s.src >= 0)), s.src, tags)
    social.tag_sessions(rng, plan, np.flatnonzero((s.ch == SOC) & (s.src >= 0)), s.src, tags)
    influencer.tag_sessions(rng, plan, np.flatnonzero((s.ch == INF) & (s.src >= 0)), s.src, tags)
    return tags


def session_rows(plan: StorePlan, rng, s: Sessions) -> dict:
    """The web_sessions columns, plus `_visitor_strings` (every visitor's id string) and
    `_blog_landing` (the visits search console counts)."""
    spec, n, code = plan.spec, s.n, plan.spec.code
    bounced, pv, dur = _behaviour(rng, s)
    landing, blog_landing = _landing_paths(plan, rng, s)
    tags = _tags(plan, rng, s)
    # visitor ids: a scrambled counter, stable per store
    salt = (plan.index + 1) * 0x9E3779B1
    scrambled = (np.arange(s.n_visitor, dtype=np.uint64) * np.uint64(0x5DEECE66D) + np.uint64(salt)) % np.uint64(2**40)
    vis_str = np.array(list(map(("v" + code + "-").__add__, map("{:010x}".format, scrambled.tolist()))), dtype=object)
    cust_ids = np.full(n, None, dtype=object)
    has_c = s.customer >= 0
    cust_ids[has_c] = str_ids(f"cus-{code}-", s.customer[has_c] + 10001)
    data = dict(
        session_id=str_ids(f"ses-{code}-", np.arange(1, n + 1) + 10_000_000),
        store_id=spec.store_id, visitor_id=vis_str[s.visitor], customer_id=cust_ids, started_at=s.t,
        duration_s=dur, pageviews=pv, bounced=bounced, landing_path=landing, referrer_host=tags.referrer,
        utm_source=tags.utm_source, utm_medium=tags.utm_medium, utm_campaign=tags.utm_campaign,
        utm_content=tags.utm_content, _loaded_at=0,
    )
    data["_visitor_strings"] = vis_str
    data["_blog_landing"] = blog_landing
    return data
