// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
export const CHANNEL_COLORS = {
  seo: '#0072B2',
  influencer: '#CC79A7',
  social: '#56B4E9',
  ads: '#D55E00',
  email: '#009E73',
  referral: '#E69F00',
  direct: '#F0E442',
  unattributed: '#000000',
};
export const CHANNEL_LABELS = {
  seo: 'SEO', influencer: 'Influencer', social: 'Social', ads: 'Ads', email: 'Email', referral: 'Referral',
  direct: 'Direct', overall: 'All channels', unattributed: 'Unattributed',
};
// models and scenario series reuse the same palette in a fixed order
export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
export const BAND_COLORS = { poor: '#D55E00', average: '#F0E442', good: '#56B4E9', excellent: '#009E73' };

export function channelColor(channel) {
  return CHANNEL_COLORS[channel] || '#999999';
}

export function channelLabel(channel) {
  return CHANNEL_LABELS[channel] || channel;
}
