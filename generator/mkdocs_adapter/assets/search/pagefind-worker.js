/*
 * Policybook: Material for MkDocs' search worker, answered by Pagefind.
 *
 * Material's search box talks to a web worker through four messages
 * (SETUP, READY, QUERY, RESULT) and lets a site supply its own worker. This
 * one loads Pagefind's prebuilt, chunked index instead of building a Lunr
 * index in the browser, so the first query of a big handbook fetches a few
 * small files instead of indexing every clause first. Material still renders
 * the results: the same search box, result list and highlighting.
 *
 * Pagefind finds the pages; ranking.js ranks their parts (clauses,
 * sections) and writes the result text, as plain text escaped with only
 * its own <mark> highlights: Material inserts it into the page as HTML.
 */
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const MAX_PAGES = 10  // pages per answer (Material shows ten at first); each costs one small fetch

let pagefind = null
let latest = 0
let queue = Promise.resolve()

// One message at a time, and of the queries only the newest is answered:
// Material shows the last result it is sent, and searches for words half
// typed would only hold up the one the reader finishes.
addEventListener("message", event => {
  const message = event.data
  const seq = message.type === QUERY ? ++latest : latest
  queue = queue
    .then(() => handle(message, seq))
    .then(reply => { if (reply) postMessage(reply) })
    .catch(error => {
      console.warn("Policybook search:", error)
      if (message.type === QUERY && seq === latest) postMessage({ type: RESULT, data: { items: [] } })
    })
})

async function handle(message, seq) {
  switch (message.type) {
    case SETUP:
      // The worker lives in assets/policybook/; the index is at the site root.
      pagefind = await import(new URL("../../pagefind/pagefind.js", self.location.href).href)
      await pagefind.options({ excerptLength: 24 })
      await pagefind.init()
      return { type: READY }
    case QUERY: {
      const items = await search(message.data, seq)
      return items && { type: RESULT, data: { items } }
    }
    default:
      return null
  }
}

async function search(query, seq) {
  const text = String(query || "").trim()
  if (seq !== latest) return null
  if (!text || !pagefind) return []
  // One letter matches most words of a handbook: Pagefind would fetch much of
  // its index to answer, holding up the query the reader is still typing.
  if (text.length < 2) return []
  const groups = plan(query)
  if (!groups.length) return []
  // Pagefind answers only pages holding every word searched for: ask it once
  // per alternative of each group, and count here which groups a part matches.
  const searches = []
  // (Pagefind matches every word as the start of longer ones: see `matches`.)
  // A word of one or two letters still being typed would match most of the
  // index, as a single letter would: it waits for its next letter.
  const typing = /[a-z0-9]$/i.test(query)
  groups.forEach((group, g) => {
    for (const alternative of group.alternatives) {
      const term = alternative.join(" ")
      if (term.length < 2 || (typing && g === groups.length - 1 && term.length < 3)) continue
      searches.push({ g, term, stems: alternative })
    }
  })
  if (!searches.length) return []
  const answers = await Promise.all(searches.map(({ term }) => pagefind.search(term)))
  if (seq !== latest) return null
  // The pages matching the most groups, then the most strongly.
  const pages = new Map()
  answers.forEach((answer, s) => {
    for (const result of answer.results) {
      const page = pages.get(result.id) || { groups: new Set(), score: 0, results: [] }
      page.groups.add(searches[s].g)
      page.score = Math.max(page.score, result.score)
      page.results.push({ result, search: searches[s] })
      pages.set(result.id, page)
    }
  })
  const chosen = [...pages.values()]
    .sort((a, b) => b.groups.size - a.groups.size || b.score - a.score)
    .slice(0, MAX_PAGES)
  // Fetch each page's fragment once, together; then read its parts per search,
  // one at a time: Pagefind reuses one object per page for every search's answer.
  await Promise.all(chosen.map(page => page.results[0].result.data()))
  if (seq !== latest) return null
  const document = new Map(), parts = new Map()
  for (const page of chosen) {
    for (const { result, search } of page.results) {
      const data = await result.data()
      const location = relative(data.url)
      document.set(location, { title: plainText((data.meta && data.meta.title) || location), text: plainText(data.excerpt) })
      for (const sub of data.sub_results || []) {
        const url = relative(sub.url)
        const part = parts.get(url) || { location: url, page: location, title: plainText(sub.title), text: "", fields: new Map() }
        if (!part.text || sub.excerpt.length > part.text.length) part.text = plainText(sub.excerpt)
        // Pagefind weighs a heading's words 7 and the text's 1 (less for the clause's hidden section and policy).
        if (!matches(sub.excerpt, search.stems)) continue
        const hits = sub.weighted_locations || []
        const inTitle = hits.some(hit => hit.weight >= 2)
        // As in index-worker.js: a title counts double, a word said again and again a little more.
        const strength = (inTitle ? 2 : 1) * (1 + 0.1 * Math.log(Math.max(1, hits.length)))
        part.fields.set(search.term, Math.max(part.fields.get(search.term) || 0, strength))
        parts.set(url, part)
      }
    }
  }
  if (seq !== latest) return null
  // How rare a word is, among the parts of the pages fetched.
  const all = [...parts.values()]
  const weights = groupWeights(groups, alternative => {
    const term = alternative.join(" ")
    return all.filter(part => part.fields.has(term)).length
  }, Math.max(1, all.length))
  for (const group of groups) {
    const own = group.alternatives[0].join(" ")
    group.used = [...parts.values()].some(part => part.fields.has(own))
  }
  const prefix = null
  const scored = []
  for (const part of parts.values()) {
    const has = s => part.fields.get(s) || 0
    const verdict = judge(groups.map(group => ({ ...group, alternatives: group.alternatives.map(alt => [alt.join(" ")]) })),
                          weights, has, null)
    if (!verdict.covered) continue
    // The page's own title (its h1) is the page itself: the item's head; a
    // heading with nothing under it (a section's title) is found through its clauses.
    if (part.location === part.page || part.title === (document.get(part.page) || {}).title) continue
    if (words(part.text).join(" ") === words(part.title).join(" ")) continue
    scored.push({ ...part, score: verdict.covered + 0.99 * Math.min(1, verdict.strength), matched: verdict.matched,
                  stems: matchedStems(groups, verdict.matched) })
  }
  return materialItems(scored, page => document.get(page), groups, prefix)
}

// Pagefind's URLs start at the site root ("/policies/x.html"); Material
// resolves result locations against the site's base, wherever it is served.
function relative(url) {
  return String(url || "").replace(/^\/+/, "")
}

// Whether the words Pagefind marked in a part's excerpt are the words searched
// for: Pagefind also matches "ta" in "take"; a prefix counts from four letters.
function matches(excerpt, stems) {
  const marked = [...String(excerpt || "").matchAll(/<mark>(.*?)<\/mark>/g)].flatMap(match => words(match[1]))
  if (!marked.length) return stems.every(s => s.length >= 4)
  return marked.some(word => stems.some(s => stem(word) === s || (s.length >= 4 && word.startsWith(s))))
}
