/*
 * Policybook: Material for MkDocs' search worker over Material's own index.
 *
 * Material's search box sends the worker its index (search_index.json, one
 * entry per page top and per heading) and then each query, through four
 * messages (SETUP, READY, QUERY, RESULT). This worker answers them with the
 * ranking of ranking.js instead of Lunr's: Lunr scores every word of a
 * question alike, stop words and two-letter prefixes included, so "photos
 * of pupils" found "official" first.
 *
 * Result text reaches the page as HTML: ranking.js makes it from plain
 * text, escaped, with only its own <mark> highlights.
 */

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const MAX_PARTS = 200
const LEAD_WORDS = 10, LEAD = 1.3
const PROXIMITY = 0.5, PROXIMITY_PARTS = 100

let index = null

addEventListener("message", event => {
  const message = event.data
  try {
    if (message.type === SETUP) {
      index = build(message.data.docs || [], message.data.corpus)
      postMessage({ type: READY })
    } else if (message.type === QUERY) {
      postMessage({ type: RESULT, data: { items: index ? search(String(message.data || "")) : [] } })
    }
  } catch (error) {
    console.warn("Policybook search:", error)
    if (message.type === QUERY) postMessage({ type: RESULT, data: { items: [] } })
  }
})

// `corpus`, where given, says how common each word is in the whole handbook
// (see localCorpus): the Pagefind worker ranks a few pages' parts with it.
function build(entries, corpus) {
  const docs = [], postings = new Map(), heads = new Map()
  let totalLength = 0
  for (const entry of entries) {
    const location = String(entry.location || "")
    const [page, anchor] = location.split("#")
    const title = plainText(entry.title), text = plainText(entry.text)
    if (!anchor) heads.set(page, { title, text, terms: new Set([...terms(title), ...terms(text)]) })
    // A heading with nothing under it (a section's title) is found through its clauses.
    else if (!text) continue
    const fields = new Map(), counts = new Map()
    for (const s of terms(text)) { fields.set(s, (fields.get(s) || 0) | 1); counts.set(s, (counts.get(s) || 0) + 1) }
    const [own, context] = headingWords(title, text)
    for (const s of terms(context)) fields.set(s, (fields.get(s) || 0) | 2)
    for (const s of terms(own)) fields.set(s, (fields.get(s) || 0) | 4)
    for (const s of terms(text.split(/\s+/).slice(0, LEAD_WORDS).join(" "))) fields.set(s, fields.get(s) | 8)
    const id = docs.length
    const length = fields.size
    docs.push({ id: docs.length, location, page, title, text, fields, counts, length, kind: partKind(location, title, text) })
    totalLength += length
    for (const s of fields.keys()) {
      if (!postings.has(s)) postings.set(s, [])
      postings.get(s).push(id)
    }
  }
  const index = { docs, postings, heads, vocabulary: [...postings.keys()].sort() }
  index.corpus = corpus || localCorpus(index, totalLength / Math.max(1, docs.length))
  return index
}

/*
 * What the ranking weighs a word by: how many parts there are, their average
 * number of distinct stems, how many hold every stem of an alternative, and the stems
 * starting with a letter (for typos). Here, those of the parts indexed; the
 * Pagefind worker, which indexes only the pages a question fetched, gives the
 * whole handbook's (pagefind_corpus.py), so that both engines weigh alike.
 */
function localCorpus(index, average) {
  return {
    count: index.docs.length,
    average,
    frequency: alternative => withAll(alternative).length,
    startingWith: letter => index.vocabulary.filter(term => term[0] === letter),
  }
}

function search(query) {
  const groups = plan(query)
  if (!groups.length) return []
  for (const group of groups) {
    addTypos(group)
    group.used = index.corpus.frequency(group.alternatives[0]) > 0
  }
  const prefix = groups[groups.length - 1].prefix
  const about = asksAbout(query)
  const prefixTerms = prefix ? index.vocabulary.filter(term => term.startsWith(prefix) && term !== prefix) : []
  const weights = groupWeights(groups, index.corpus.frequency, index.corpus.count)
  const candidates = new Set()
  for (const group of groups) for (const alternative of group.alternatives) for (const id of withAll(alternative)) candidates.add(id)
  for (const term of prefixTerms) for (const id of index.postings.get(term)) candidates.add(id)
  const parts = []
  for (const id of candidates) {
    const doc = index.docs[id]
    // In the clause's title counts double, in its section's or policy's title
    // half as much again; a word said again and again, a little more.
    const has = s => {
      const field = doc.fields.get(s) || 0
      return field && (field & 4 ? 2 : field & 2 ? 1.5 : field & 8 ? LEAD : 1) * (1 + 0.1 * Math.log(doc.counts.get(s) || 1))
    }
    const prefixHas = () => prefixTerms.reduce((best, term) => Math.max(best, has(term)), 0)
    const head = index.heads.get(doc.page)
    const verdict = judge(groups, weights, has, prefixHas, head && (s => head.terms.has(s)))
    if (!verdict.covered) continue
    // Shorter parts that say the same say it more directly.
    const brevity = 1 / (1 + 0.15 * Math.max(0, doc.length / index.corpus.average - 1))
    parts.push({ ...doc, score: verdict.covered + 0.99 * Math.min(1, verdict.strength * brevity)
                   + kindAdjustment(doc.kind, about), matched: verdict.matched,
                 stems: matchedStems(groups, verdict.matched) })
  }
  parts.sort((a, b) => b.score - a.score)
  // The question's words standing together: worked out for the best parts only
  // (it re-reads their text), and worth less than one more word of the question.
  for (const part of parts.slice(0, PROXIMITY_PARTS)) {
    const doc = index.docs[part.id]
    if (!doc.tokens) doc.tokens = terms(doc.text)
    part.score += PROXIMITY * proximity(groups, weights, part.matched, doc.tokens, prefix)
  }
  parts.sort((a, b) => b.score - a.score)
  return materialItems(parts.slice(0, MAX_PARTS), page => index.heads.get(page), groups, prefix)
}

// Parts holding every stem of an alternative.
function withAll(alternative) {
  const lists = alternative.map(s => index.postings.get(s) || [])
  if (lists.some(list => !list.length)) return []
  lists.sort((a, b) => a.length - b.length)
  const others = lists.slice(1).map(list => new Set(list))
  return lists[0].filter(id => others.every(set => set.has(id)))
}

// A word no part holds, and no synonym answers for, may be misspelt: the words one slip away stand in.
function addTypos(group) {
  if (group.alternatives.some(alternative => index.corpus.frequency(alternative))) return
  const [own] = group.alternatives
  if (own.length !== 1) return
  const limit = typoLimit(own[0])
  if (!limit) return
  const found = []
  for (const term of index.corpus.startingWith(own[0][0])) {
    if (Math.abs(term.length - own[0].length) <= limit && distance(own[0], term, limit) <= limit) {
      found.push([term])
    }
  }
  // The word meant also brings its synonyms: "permision" finds "permission", and "consent" with it.
  const known = new Set(found.map(alternative => alternative.join(" ")))
  for (const [term] of [...found]) {
    for (const alternative of SYNONYMS.get(term) || []) {
      if (!known.has(alternative.join(" "))) { known.add(alternative.join(" ")); found.push(alternative) }
    }
  }
  group.alternatives.push(...found)
}

// A clause heading reads "4.2 Its title · Section · Policy": [its own title, the rest].
// A clause without a title is named by its first words, which are its text's, not a title's.
function headingWords(title, text) {
  const [name, ...context] = title.split(" · ")
  const lead = name.replace(/^[A-Z]?[0-9.]+ /, "").replace(/…$/, "")
  return [lead && text.startsWith(lead) ? "" : name, context.join(" ")]
}
