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
 * Pagefind finds the pages; their parts (clauses, sections) are ranked by
 * the very code that ranks Material's own index (index-worker.js, with
 * ranking.js), which writes the result text, as plain text escaped with
 * only its own <mark> highlights: Material inserts it into the page as HTML.
 */
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const MAX_PAGES = 10  // pages per answer (Material shows ten at first); each costs one small fetch
const TYPO_PREFIX = 3  // letters of a word found nowhere that fetch the pages its typos are looked for in ("pasword": pas-)

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
  // Material sends the box's text at every keystroke, and Pagefind answers
  // from chunks already fetched without ever yielding to the worker's event
  // loop: every half-typed query would be answered in turn while the reader's
  // last one waits behind them (seconds, on a busy machine). A moment's
  // yield lets the queued ones arrive, so that only the newest is answered.
  await new Promise(resolve => setTimeout(resolve, 0))
  const text = String(query || "").trim()
  if (seq !== latest) return null
  if (!text || !pagefind) return []
  // One letter matches most words of a handbook: Pagefind would fetch much of
  // its index to answer, holding up the query the reader is still typing.
  if (text.length < 2) return []
  const groups = plan(query)
  if (!groups.length) return []
  const searches = candidateSearches(groups, /[a-z0-9]$/i.test(query))
  if (!searches.length) return []
  const counted = corpus.load(groups)  // alongside Pagefind's searches
  let answers = await Promise.all(searches.map(({ term }) => pagefind.search(term)))
  await counted
  if (seq !== latest) return null
  // A word found on no page, nor any of its synonyms, may be misspelt: the
  // pages with words of its first letters are candidates, and the ranking
  // tries the words one slip away (index-worker.js's typos) on them.
  const found = new Set(answers.flatMap((answer, s) => answer.results.length ? [searches[s].g] : []))
  const guesses = groups.flatMap((group, g) => !found.has(g) && typoLimit(group.word) && !/\s/.test(group.word)
    ? [{ g, term: group.word.slice(0, TYPO_PREFIX) }] : [])
  if (guesses.length) {
    answers = answers.concat(await Promise.all(guesses.map(({ term }) => pagefind.search(term))))
    searches.push(...guesses)
    if (seq !== latest) return null
  }
  const chosen = choosePages(groups, searches, answers)
  const docs = await Promise.all(chosen.map(pageEntries))
  if (seq !== latest) return null
  return ranker(chosen.map((result, index) => ({ id: result.id, docs: docs[index] })))(query)
}

// The Pagefind searches for a question: one per alternative of each group
// (Pagefind answers only pages holding every word searched for, so the
// question's words are never searched together).
function candidateSearches(groups, typing) {
  const searches = []
  groups.forEach((group, g) => {
    for (const alternative of group.alternatives) {
      const term = alternative.join(" ")
      // A word of one or two letters still being typed would match most of the
      // index, as a single letter would: it waits for its next letter.
      if (term.length < 2 || (typing && g === groups.length - 1 && term.length < 3)) continue
      searches.push({ g, term })
    }
  })
  return searches
}

/*
 * The pages worth ranking: those where the most of the question stands close
 * together (within a clause's length: the words Pagefind found, where it
 * found them), then those holding the most of it anywhere, each group of the
 * question counted by how rare it is among the pages (a word on every page
 * tells little), then by Pagefind's scores. Each page costs one small fetch.
 */
const CLAUSE_WORDS = 60
function choosePages(groups, searches, answers) {
  // (Pagefind does not say how many pages it holds: the most any search found stand in for them.)
  const total = Math.max(1, ...answers.map(answer => answer.results.length))
  const pagesWith = groups.map(() => new Set())
  const pages = new Map()
  answers.forEach((answer, s) => {
    const { g } = searches[s]
    for (const result of answer.results) {
      pagesWith[g].add(result.id)
      const page = pages.get(result.id) || { result, groups: new Map(), words: [] }
      page.groups.set(g, Math.max(page.groups.get(g) || 0, result.score))
      for (const location of result.words || []) page.words.push([location, g])
      pages.set(result.id, page)
    }
  })
  const rarity = pagesWith.map(ids => Math.log(1 + total / (1 + ids.size)))
  const worth = page => {
    let covered = 0, strength = 0
    for (const [g, score] of page.groups) { covered += rarity[g]; strength += score }
    return [closest(page.words, rarity), covered, strength]
  }
  return [...pages.values()]
    .map(page => ({ page, worth: worth(page) }))
    .sort((a, b) => b.worth[0] - a.worth[0] || b.worth[1] - a.worth[1] || b.worth[2] - a.worth[2])
    .slice(0, MAX_PAGES)
    .map(({ page }) => page.result)
}

// The rarest share of the question found within CLAUSE_WORDS words of each other on a page.
function closest(words, rarity) {
  words.sort((a, b) => a[0] - b[0])
  const inside = new Map()
  let best = 0, sum = 0, start = 0
  for (const [location, g] of words) {
    if (!inside.get(g)) sum += rarity[g]
    inside.set(g, (inside.get(g) || 0) + 1)
    for (; words[start][0] < location - CLAUSE_WORDS; start++) {
      const gone = words[start][1]
      inside.set(gone, inside.get(gone) - 1)
      if (!inside.get(gone)) sum -= rarity[gone]
    }
    best = Math.max(best, sum)
  }
  return best
}

/*
 * A page's parts, as Material's search_index.json lists them: the page's top
 * (its title and the text before its first section) and one entry per
 * heading, with the text up to the next heading. Pagefind keeps each page's
 * whole text and where its headings start (in words), so the parts ranked
 * are the whole clauses, not Pagefind's excerpts of them.
 */
const entries = new Map()
function pageEntries(result) {
  if (!entries.has(result.id)) {
    // A fetch that failed is tried again by the next query.
    entries.set(result.id, result.data().then(fragmentEntries, error => { entries.delete(result.id); throw error }))
  }
  return entries.get(result.id)
}

function fragmentEntries(fragment) {
  const page = relative(fragment.raw_url || fragment.url)
  // Pagefind counts words as its excerpts do: runs of text between white space.
  const split = text => String(text || "").split(/[\r\n\s]+/)
  const content = split(fragment.content)
  const headings = (fragment.anchors || [])
    .filter(anchor => /^h[1-6]$/i.test(anchor.element) && anchor.id && /\S/.test(anchor.text || ""))
    .sort((a, b) => a.location - b.location)
  // Plain text in, escaped: index-worker.js reads entries as HTML, as Material writes them.
  const text = (from, to) => escapeHtml(content.slice(from, to).join(" ").trim())
  const after = heading => heading.location + split(heading.text.trim()).length
  const top = headings.length && headings[0].location === 0 && /^h1$/i.test(headings[0].element) ? headings.shift() : null
  const title = (fragment.meta && fragment.meta.title) || (top && top.text) || page
  const docs = [{ location: page, title: escapeHtml(title),
                  text: text(top ? after(top) : 0, headings.length ? headings[0].location : content.length) }]
  headings.forEach((heading, index) => {
    const end = index + 1 < headings.length ? headings[index + 1].location : content.length
    docs.push({ location: `${page}#${heading.id}`, title: escapeHtml(heading.text), text: text(after(heading), end) })
  })
  return docs
}

/*
 * The parts ranked and listed as Material's own index would: index-worker.js,
 * run here in memory on the fetched pages' entries (search_workers.py puts
 * its script in this one as `indexWorker`, its messages answered by the
 * functions given), so that either engine ranks a page's parts alike.
 * Indexing ten pages' text takes tens of milliseconds: the last few page sets
 * keep theirs, as the words typed one after another often fetch the same pages.
 */
const RANKERS = 8
const rankers = new Map()
function ranker(pages) {
  // In the order of Material's index: parts that score alike are listed in it.
  const place = page => corpus.place(page.docs[0].location)
  const sorted = [...pages].sort((a, b) => place(a) - place(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const key = sorted.map(page => page.id).join(" ")
  const rank = rankers.get(key) || localIndex(sorted.flatMap(page => page.docs))
  rankers.delete(key)
  rankers.set(key, rank)  // the most recently used last
  while (rankers.size > RANKERS) rankers.delete(rankers.keys().next().value)
  return rank
}

function localIndex(docs) {
  let listener = null, reply = null
  indexWorker((type, handler) => { listener = handler }, message => { reply = message })
  listener({ data: { type: SETUP, data: { docs, corpus: corpus.ready() ? corpus : null } } })
  return query => {
    reply = null
    listener({ data: { type: QUERY, data: query } })
    return reply && reply.data ? reply.data.items : []
  }
}

// Pagefind's URLs start at the site root ("/policies/x.html"); Material
// resolves result locations against the site's base, wherever it is served.
function relative(url) {
  return String(url || "").replace(/^\/+/, "").replace(/[?#].*$/, "")
}

/*
 * How common each word is in the whole handbook, for the ranking's weights
 * (index-worker.js's corpus): the parts a question's pages hold are too few
 * to tell a rare word from a common one as the whole handbook does. The build
 * writes the counts beside Pagefind's index (pagefind_corpus.py), one small
 * file per first letter of a stem; a question fetches those of its words'
 * stems (and their synonyms'), once. Where the files cannot be had (an index
 * written without them), the fetched parts' own counts stand in.
 */
const corpus = {
  shards: new Map(),  // file name -> a promise of its data, once asked for
  loaded: new Map(),  // first letter -> {count, average, df}
  order: new Map(),  // page URL -> its place in Material's index
  count: 0,
  average: 0,
  failed: false,
  ready() { return !this.failed && this.loaded.size > 0 },
  load(groups) {
    const letters = new Set()
    for (const group of groups) for (const alternative of group.alternatives) for (const s of alternative) letters.add(s[0])
    return Promise.all(["pages", ...letters].map(name => this.shard(name)))
  },
  shard(name) {
    if (!/^([a-z0-9]|pages)$/.test(name) || this.failed) return Promise.resolve()
    if (!this.shards.has(name)) {
      const url = new URL(`../../pagefind/policybook/${name}.json`, self.location.href).href
      this.shards.set(name, fetch(url, { cache: "no-cache" })
        .then(response => { if (!response.ok) throw new Error(`${response.status} ${url}`); return response.json() })
        .then(data => {
          if (name === "pages") data.order.forEach((page, place) => this.order.set(page, place))
          else {
            this.loaded.set(name, data)
            this.count = data.count
            this.average = data.average
          }
        }, error => {
          console.warn("Policybook search: word counts unavailable, ranking by the fetched pages'", error)
          this.failed = true
          rankers.clear()  // none ranks with counts some of which are missing
        }))
    }
    return this.shards.get(name)
  },
  place(page) {
    const place = this.order.get(page)
    return place === undefined ? Infinity : place
  },
  frequency(alternative) {
    const key = alternative.join(" ")
    const shard = corpus.loaded.get(key[0])
    const found = shard && shard.df[key]
    if (found || alternative.length === 1) return found || 0
    // A phrase the build did not count (not of the vocabulary it had): at most its rarest stem's count.
    return Math.min(...alternative.map(s => corpus.frequency([s])))
  },
  startingWith(letter) {
    const shard = corpus.loaded.get(letter)
    // Sorted as Material's index sorts its words (JSON puts keys like "2026" first).
    return shard ? Object.keys(shard.df).filter(key => !key.includes(" ")).sort() : []
  },
}
