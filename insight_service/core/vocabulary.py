"""Placeholder (quality worktree): the real module is written by another helper and replaces this one."""
CHANNELS = ("seo", "influencer", "social", "ads", "email", "referral", "direct")
RULE_MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
MODELS = (*RULE_MODELS, "data_driven")
