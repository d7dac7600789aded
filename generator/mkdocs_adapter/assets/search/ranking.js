/*
 * Policybook: how search ranks the parts of the handbook for a question.
 *
 * Shared by both search workers (Material's index and Pagefind), after
 * `const VOCABULARY = {stop: [...], light: [...], synonyms: [[[typed...], [terms...]], ...]}`, which the build writes
 * from the handbook (policybook.vocabulary).
 *
 * A question becomes groups, one per meaningful word: stop words ("can",
 * "I", "a", "of") are dropped, words are stemmed (plurals and verb forms),
 * and each group lists the terms that answer for it: the word itself and
 * its synonyms ("sacked" -> dismissal, disciplinary; "DSL" -> designated
 * safeguarding lead). A part of a page scores first by how many groups it
 * matches, then by how rare and how prominent the matched words are; a
 * question with a word nothing matches still finds what matches the rest.
 * Only the last word, while it is being typed, matches as a prefix, and
 * only from three letters, so "of" never finds "official".
 */

const STOP = new Set(VOCABULARY.stop)
const LIGHT = new Set(VOCABULARY.light || [])

// Lower-case words without accents; "parent's" -> "parent", "dm'd" -> "dm",
// "they're" -> "they" (a contraction's ending says nothing of the subject).
// "IT" (information technology) is the word "ict", not the stop word "it".
function words(text) {
  text = String(text || "")
  // Most of the vocabulary is plain lower-case words: split, nothing to undo (the worker starts sooner).
  if (/^[a-z0-9 ]*$/.test(text) && !/\bit\b/.test(text)) return text.split(" ").filter(Boolean)
  return informationTechnology(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/['\u2019](s|d|ll|re|ve|m)\b/g, "").replace(/['\u2019]/g, "")
    .match(/[a-z0-9]+/g) || []
}

/*
 * "IT" means information technology where it is written in capitals ("the IT
 * lead", "IT"), as "I.T.", or, typed in lower case, where the pronoun cannot
 * stand: after a determiner ("the it guy", "our it lead", "school it") or
 * before a noun that names IT's people and things ("it support", "it team",
 * "it rules"; not "lead" or "help": "will it lead to", "does it help"). There it becomes "ICT", its synonym, which is no stop word;
 * elsewhere "it" stays the pronoun ("can I use it at home").
 */
const IT_NOUNS = `support team technician technicians tech department dept helpdesk desk guy guys person people
  staff manager managers services service suite room equipment kit systems system network provider coordinator
  co-ordinator officer contractor rules policy account accounts issue issues problem problems fault faults
  office lesson lessons security admin`.split(/\s+/)
const IT_CAPITALS = /(^|[^A-Za-z0-9'\u2019.])(?:IT|I\.T\.?)(?![A-Za-z0-9'\u2019])/g
const IT_AFTER = /\b(the|an|our|your|their|school'?s?|schools'|any)(\s+)it\b(?!['\u2019])/gi
const IT_BEFORE = new RegExp(`\\bit(?=\\s+(?:${IT_NOUNS.join("|")})\\b)`, "gi")
function informationTechnology(text) {
  if (!/\bit\b|I\.T/i.test(text)) return text
  return text.replace(IT_CAPITALS, "$1ICT").replace(IT_AFTER, "$1$2ICT").replace(IT_BEFORE, "ICT")
}

const VOWEL = /[aeiouy]/
const SHORT = /^[^aeiouy]*[aeiouy][^aeiouwxy]$/

// A light English stemmer: plurals, -ing and -ed, a final e; the same word
// form always gives the same stem ("photos", "photo"; "sharing", "shared",
// "share"; "bullied", "bullies", "bully").
// Plurals no rule makes: "children" finds "child", "childrens" (typed for "children's") too.
const PLURALS = { children: "child", childrens: "child", people: "person", peoples: "person", women: "woman", men: "man" }

function stem(word) {
  let w = word
  if (w in PLURALS) return PLURALS[w]
  if (w.length <= 3 || /^[0-9]/.test(w)) return w
  if (/ies$/.test(w) && w.length > 4) w = w.slice(0, -3) + "y"
  else if (/ied$/.test(w) && w.length > 4) w = w.slice(0, -3) + "y"
  else if (/sses$/.test(w)) w = w.slice(0, -2)
  else if (/(sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2)
  else if (/eed$/.test(w) && w.length > 4) w = w.slice(0, -1)
  else if (/[^su]s$/.test(w) && !/(ss|is|us)$/.test(w)) w = w.slice(0, -1)
  else {
    const suffix = /ing$/.test(w) ? 3 : /ed$/.test(w) ? 2 : 0
    if (suffix) {
      const base = w.slice(0, -suffix)
      if (base.length >= 3 && VOWEL.test(base)) {
        // "hugging" -> "hug", but "hoping" -> "hope" (a short stem lost its e)
        if (/([^aeiouylsz])\1$/.test(base)) w = base.slice(0, -1)
        else w = SHORT.test(base) && base.length <= 3 ? base + "e" : base
      } else if (base.length === 2 && /^[aeiou][^aeiouy]$/.test(base)) {
        w = base + "e"  // "using", "used" -> "use"
      }
    }
  }
  // Nouns made from the verb, so that the question's form of a word finds
  // the policy's: "disclosure" -> "disclose", "harassment" -> "harass"
  // (only where five letters stay: "comment" and "document" keep theirs).
  if (/osure$/.test(w)) w = w.slice(0, -3)
  else if (/ment$/.test(w) && w.length >= 9) w = w.slice(0, -4)
  // A final e goes where four letters stay ("share", "sharing" -> "shar"), not
  // before ("note" is not "not", "care" not "car", "mate" not "mat").
  if (w.length >= 5 && /[^e]e$/.test(w)) w = w.slice(0, -1)
  return w
}

function terms(text) {
  return words(text).filter(word => !STOP.has(word)).map(stem)
}

// Synonyms keyed by the stems of all their words, stop words too: "on my own"
// finds "alone" only typed so, never for "own" ("my own phone"), nor
// "after school" for every "school".
const SYNONYMS = new Map()
// VOCABULARY.synonyms: rows of [[words typed...], [terms they also find...]], each row's terms stemmed once.
const SYNONYM_SEEN = new Map()  // stems -> the alternatives already listed, joined
for (const [keys, list] of VOCABULARY.synonyms) {
  const alternatives = list.map(terms).filter(alternative => alternative.length)
  for (const key of keys) {
    const typed = words(key)
    if (typed.every(word => STOP.has(word))) continue
    const stems = typed.map(stem).join(" ")
    if (!SYNONYMS.has(stems)) { SYNONYMS.set(stems, []); SYNONYM_SEEN.set(stems, new Set()) }
    const known = SYNONYMS.get(stems), seen = SYNONYM_SEEN.get(stems)
    for (const alternative of alternatives) {
      const joined = alternative.join(" ")
      if (!seen.has(joined)) { seen.add(joined); known.push(alternative) }
    }
  }
}
// Irregular verbs, whose forms no stemmer joins: any form typed also finds
// the others ("a child told me" finds "tells you"; "what to say" finds
// "what was said"). As alternatives, not stems, so that Pagefind, which
// searches the words as written, is asked for each form.
const IRREGULAR = new Map()
for (const family of `
  say,said tell,told speak,spoke,spoken write,wrote,written take,took,taken give,gave,given see,saw,seen
  send,sent know,knew,known find,found keep,kept make,made meet,met pay,paid bring,brought buy,bought
  catch,caught think,thought feel,felt hear,heard hold,held lose,lost steal,stole,stolen drive,drove,driven
  fall,fell,fallen break,broke,broken choose,chose,chosen forget,forgot,forgotten hide,hid,hidden
  show,shown swear,swore,sworn throw,threw,thrown lead,led spend,spent build,built
  teach,taught understand,understood run,ran sit,sat stand,stood wear,wore,worn leave,left
`.trim().split(/\s+/)) {
  const stems = family.split(",").map(stem)
  for (const s of stems) IRREGULAR.set(s, stems.filter(other => other !== s))
}

const LONGEST_KEY = Math.min(5, Math.max(1, ...[...SYNONYMS.keys()].map(key => key.split(" ").length)))

/*
 * The groups of a question: [{word, alternatives: [[stem, ...], ...], prefix}].
 * `word` is what the reader typed (shown as "Missing: word" where nothing
 * matched it); the first alternative is the word itself. A phrase of the
 * vocabulary ("lose my job", "off sick") makes one group; outside one, stop
 * words are dropped.
 */
function plan(query) {
  const typed = words(query)
  const stems = typed.map(stem)
  const groups = []
  let end = 0  // where the last group ends in `typed`
  for (let i = 0; i < stems.length;) {
    let n = Math.min(LONGEST_KEY, stems.length - i)
    for (; n > 1 && !SYNONYMS.has(stems.slice(i, i + n).join(" ")); n--);
    if (n === 1 && STOP.has(typed[i])) { i += 1; continue }
    const meaningful = typed.slice(i, i + n).filter(word => !STOP.has(word))
    const own = meaningful.map(stem)
    const forms = n === 1 ? (IRREGULAR.get(own[0]) || []).map(form => [form]) : []
    const alternatives = [own, ...forms, ...(SYNONYMS.get(stems.slice(i, i + n).join(" ")) || [])]
      .filter((alt, index, all) => all.findIndex(other => other.join(" ") === alt.join(" ")) === index)
    // A number on its own ("year 6", "19", "3 weeks") rarely names the subject; one of the vocabulary ("999") may.
    const number = /^[0-9]+$/.test(typed[i]) && !SYNONYMS.has(stems[i])
    groups.push({ word: meaningful.join(" "), alternatives, prefix: null, light: n === 1 && (LIGHT.has(typed[i]) || number) })
    i += n
    end = i
  }
  // A synonym that is another group's own word ("download apps": "apps" is
  // a synonym of "download") is that group's: one word of a clause does not
  // answer for two of the question.
  const owns = new Set(groups.map(group => group.alternatives[0].join(" ")))
  for (const group of groups) {
    group.alternatives = group.alternatives.filter((alt, rank) => rank === 0 || !owns.has(alt.join(" ")))
  }
  // The word still being typed also matches as the start of a longer one.
  const last = groups[groups.length - 1]
  if (last && end === typed.length && /[a-z0-9]$/i.test(query) && last.alternatives[0].length === 1
      && typed[typed.length - 1].length >= 3) {
    last.prefix = typed[typed.length - 1]
  }
  return groups
}

/*
 * How well one part matches the groups. `has(stem)` -> 0 (absent), 1 (in the
 * text) or up to 2 (in a title, said often); `group.used` says whether any
 * part holds the word typed itself; `inContext(stem)`, where given, whether
 * the part's policy holds it (its title, summary or keywords). Returns the
 * coverage (each group matched counts up to 1, by its `credit`), a
 * tie-break (normalised to [0, 1)) and which groups the part matched.
 */
function judge(groups, weights, has, prefixHas, inContext) {
  let covered = 0, strength = 0, total = 0
  const matched = []
  groups.forEach((group, index) => {
    const light = group.light ? LIGHT_CREDIT : 1
    const weight = weights[index].weight * light, credit = weights[index].credit * light
    total += weight * 2
    let best = 0, share = 1
    group.alternatives.forEach((alternative, rank) => {
      let field = 2
      for (const s of alternative) field = Math.min(field, has(s))
      // Where the handbook uses the word typed, a synonym for it counts for less.
      const worth = rank === 0 || !group.used ? 1 : SYNONYM_WORTH
      if (field * worth > best * share) { best = field; share = worth }
    })
    if (!best && group.prefix && prefixHas) { best = prefixHas(group.prefix) * 0.7; share = 1 }
    if (best) {
      covered += credit * (share === 1 ? 1 : SYNONYM_COVERAGE)
      strength += weight * best * share
    } else if (inContext && group.alternatives.some(alternative => alternative.every(inContext))) {
      // "photos on the trip": of the clauses speaking of photos, those of the trips policy first.
      strength += weight * CONTEXT_STRENGTH
    }
    matched.push(best > 0)
  })
  return { covered, strength: total ? strength / total : 0, matched }
}

const SYNONYM_WORTH = 0.6, SYNONYM_COVERAGE = 0.9, CONTEXT_STRENGTH = 0.5, LIGHT_CREDIT = 0.4
// A word in more than one part in COMMON says little about which one answers
// ("school", "pupil"): it counts for less of the question's coverage.
const COMMON = 0.05, COMMON_FLOOR = 0.4

// How rare each group is, as {weight, credit}: a word in every clause tells little.
function groupWeights(groups, documentFrequency, count) {
  const reference = Math.log(1 + count / (1 + COMMON * count))
  return groups.map(group => {
    const df = Math.max(0, ...group.alternatives.map(alt => documentFrequency(alt)))
    const weight = Math.log(1 + count / (1 + df))
    return { weight, credit: Math.max(COMMON_FLOOR, Math.min(1, weight / reference)) }
  })
}

/*
 * What kind of part a clause is, read from what the page shows (both engines
 * index the same text): "definitions" (a policy's Definitions list, which
 * names the policy's subject in every other line), "duty" (a clause with an
 * obligation badge, "must", "should not"..., followed only by the clause's
 * meta: who it applies to, who acts, by when), "opening" (a clause of a
 * policy's first section that places no duty: its purpose and scope) or
 * "text" (any other: what happens after a breach, guidance).
 */
// Material's index reads "…account. must not Applies to …"; Pagefind ends each block with a
// full stop: "…account. must not." (a sentence's own "as they may." is not a badge).
const BADGE = "(?:must not|must|should not|should|may)"
const META = "(?:\\s+(?:Applies to|Acted on by|Deadline|option \\d+ of|unfilled placeholders?|Search keywords)\\b.*)?$"
const DUTY_BADGE = [new RegExp(`(?:^|\\s)${BADGE}${META}`), new RegExp(`(?:^|[.!?:;)"'\u2019\u201d]\\s+)${BADGE}\\.${META}`)]
function partKind(location, title, text) {
  if (/#definitions$/.test(String(location))) return "definitions"
  if (DUTY_BADGE.some(badge => badge.test(String(text)))) return "duty"
  return /^1\.[0-9]+ /.test(String(title)) ? "opening" : "text"
}

/*
 * Staff mostly ask what to do ("can I", "who do I tell"): for as much of the
 * question, a policy's purpose and scope come after the clauses that say what
 * to do, and its Definitions list after all of them, unless the question asks
 * what something is or means ("what is a LADO", "what does SAR stand for",
 * "what counts as bullying", "types of abuse") or whom a policy covers ("does
 * this apply to supply staff").
 */
const ASKS_ABOUT = [
  /\b(?:define|defined|definition|definitions|meaning|stand for|stands for|counts as|what is meant)\b/,
  /\bwhat (?:does|do)\b.*\bmean\b/,
  /^\s*what(?:s| is| are)\s+(?!the\b|my\b|our\b|your\b|their\b|this\b|that\b|it\b|i\b|we\b|you\b|they\b|happening\b|allowed\b)/,
  /\b(?:types|kinds|sorts|examples|forms) of\b/,
  /\b(?:apply|applies|covers|covered|scope)\b/,
]
function asksAbout(query) {
  const text = String(query || "").toLowerCase().replace(/['\u2019]/g, "")
  return ASKS_ABOUT.some(pattern => pattern.test(text))
}
// A duty against an opening clause differs by less than the word typed against its synonym
// (1 - SYNONYM_COVERAGE): the kind breaks ties, it never outweighs the reader's own word.
const KIND_ADJUSTMENT = { definitions: -0.8, opening: -0.05, duty: 0.03, text: 0 }
function kindAdjustment(kind, about) {
  return about ? 0 : KIND_ADJUSTMENT[kind] || 0
}

/*
 * Words of the question standing together in a part ("password ... the IT
 * lead", "photos of pupils") say it answers more directly than the same words
 * sentences apart. `tokens` are the part's stems in order (stop words left
 * out); the window is a short clause's length. Returns the share of the
 * question, beyond the part's best word, found within one window: 0 to 1.
 */
const PROXIMITY_WINDOW = 8
function proximity(groups, weights, matched, tokens, prefix) {
  const owner = new Map()
  groups.forEach((group, g) => {
    if (!matched[g]) return
    for (const alternative of group.alternatives) for (const s of alternative) if (!owner.has(s)) owner.set(s, g)
  })
  // Words saying what is wanted ("want", "start") standing together say nothing of the subject.
  const credit = groups.map((group, g) => group.light ? 0 : weights[g].credit)
  const total = credit.reduce((a, b) => a + b, 0), top = Math.max(0, ...credit.filter((c, g) => matched[g]))
  if (total - top <= 0) return 0
  const positions = []
  tokens.forEach((token, at) => {
    let g = owner.get(token)
    if (g === undefined && prefix && matched[groups.length - 1] && token.startsWith(prefix)) g = groups.length - 1
    if (g !== undefined) positions.push([at, g])
  })
  const inside = new Map()
  let best = 0, sum = 0, start = 0
  for (const [at, g] of positions) {
    if (!inside.get(g)) sum += credit[g]
    inside.set(g, (inside.get(g) || 0) + 1)
    for (; positions[start][0] <= at - PROXIMITY_WINDOW; start++) {
      const gone = positions[start][1]
      inside.set(gone, inside.get(gone) - 1)
      if (!inside.get(gone)) sum -= credit[gone]
    }
    best = Math.max(best, sum)
  }
  return Math.max(0, best - top) / (total - top)
}

// --- presenting results in Material's list ------------------------------------

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, ch => ESCAPES[ch])
}

// Plain text, the words that matched marked: nothing of the source's markup survives.
function highlight(text, stems, prefix) {
  return String(text).split(/([A-Za-z0-9\u00c0-\u024f'\u2019]+)/).map((part, index) => {
    if (index % 2 === 0) return escapeHtml(part)
    const word = words(part)[0]
    const hit = word && (stems.has(stem(word)) || (prefix && word.startsWith(prefix)))
    return hit ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part)
  }).join("")
}

const EXCERPT_WORDS = 36
const REFERENCE_PENALTY = 0.3

// The first words of the part, or those around its first match when that comes late.
function excerpt(text, stems, prefix) {
  const tokens = String(text).split(/\s+/).filter(Boolean)
  if (tokens.length <= EXCERPT_WORDS) return highlight(tokens.join(" "), stems, prefix)
  let first = tokens.findIndex(token => words(token).some(word => stems.has(stem(word))))
  let start = first > EXCERPT_WORDS - 8 ? first - 8 : 0
  const shown = tokens.slice(start, start + EXCERPT_WORDS).join(" ")
  return (start ? "… " : "") + highlight(shown, stems, prefix) + (start + EXCERPT_WORDS < tokens.length ? " …" : "")
}

function plainText(html) {
  const NAMED = { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'", nbsp: " ", para: "", middot: "·" }
  return String(html || "").replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : " "
      }
      return name.toLowerCase() in NAMED ? NAMED[name.toLowerCase()] : entity
    })
    .replace(/\s+/g, " ").trim()
}

/*
 * Material's result list from scored parts, best first: one item per page,
 * headed by the page, pages in the order of their best part. Material shows
 * the parts that score at least as well as the item's head and folds the
 * rest under "N more on this page"; the head scores as the next page's best
 * part, so what is shown reads in one order from the top of the list down,
 * or as its own best clause where that is lower: a page whose top (title,
 * summary, keywords) matched best still shows the clause that answers.
 *
 * parts: [{location, page, title, text, score, matched, stems}], heads: page -> {title, text}
 */
function materialItems(parts, heads, groups, prefix) {
  // A policy's clause says what to do; the legislation register, the glossary
  // and the roles' pages tell about it: for as much of the question, the clause first.
  // (Pagefind's locations are whole URLs, Material's relative to the site.)
  for (const part of parts) if (!/(^|\/)policies\//.test(String(part.location))) part.score -= REFERENCE_PENALTY
  parts.sort((a, b) => b.score - a.score)
  const pages = []
  const byPage = new Map()
  for (const part of parts) {
    if (!byPage.has(part.page)) { byPage.set(part.page, []); pages.push(part.page) }
    byPage.get(part.page).push(part)
  }
  return pages.map((page, index) => {
    const found = byPage.get(page)
    const next = index + 1 < pages.length ? byPage.get(pages[index + 1])[0].score : -Infinity
    const head = heads(page) || { title: page, text: "" }
    const top = found.find(part => part.location === page)
    const termsOf = part => Object.fromEntries(groups.map((group, g) => [group.word, part ? part.matched[g] : false]))
    const stemsOf = part => part ? part.stems : new Set()
    const docs = [{
      location: page,
      title: highlight(head.title, stemsOf(top), prefix),
      text: excerpt(top ? top.text : head.text, stemsOf(top), prefix),
      // Its best clause is always shown, even where the page's own top matched better.
      score: Math.min(next, (found.find(part => part !== top) || found[0]).score),
      terms: termsOf(top),
    }]
    for (const part of found) {
      if (part === top) continue
      docs.push({
        location: part.location,
        title: highlight(part.title, part.stems, prefix),
        text: excerpt(part.text, part.stems, prefix),
        score: part.score,
        terms: termsOf(part),
      })
    }
    return docs
  })
}

// The stems a part matched, for highlighting: every alternative of every group it matched.
function matchedStems(groups, matched) {
  const stems = new Set()
  groups.forEach((group, index) => {
    if (matched[index]) for (const alternative of group.alternatives) for (const s of alternative) stems.add(s)
  })
  return stems
}

// Restricted Damerau-Levenshtein distance, at most `limit` (else limit + 1): for typos.
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous2 = null, previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
      if (previous2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2] + 1)
      row.push(value)
      best = Math.min(best, value)
    }
    if (best > limit) return limit + 1
    previous2 = previous
    previous = row
  }
  return previous[b.length]
}

// Words of five letters or more that are in no part may be typos: allow one slip (two from eight letters).
function typoLimit(word) {
  return word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0
}
