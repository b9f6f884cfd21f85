package yamlfile

// The annotation format, section by section. Reading and the JSON Schema
// both come from these tables, so the schema editors use cannot drift from
// what kg check accepts.

type valueKind int

const (
	text     valueKind = iota // any scalar
	textList                  // a sequence of scalars
	date                      // YYYY, YYYY-MM or YYYY-MM-DD
	grade                     // a scalar from the ontology's grades
	figures                   // a mapping of figure name to number
	kindName                  // a kind from the ontology
	relName                   // a relation type from the ontology
)

type field struct {
	name     string
	kind     valueKind
	required bool
	doc      string
}

var topLevel = []field{
	{name: "entities", doc: "Actors and places, each declared once and referred to by id."},
	{name: "events", doc: "Attacks and other events, each declared once and referred to by id."},
	{name: "document", doc: "The source document this file annotates."},
	{name: "relations", doc: "What the document says: subject, relation type, object, and the quote that says it."},
	{name: "waivers", doc: "Sentences of the document that deliberately carry nothing, with the reason."},
}

var entityFields = []field{
	{name: "id", kind: text, required: true, doc: "Stable id, lower-case words joined by hyphens: islamic-state."},
	{name: "kind", kind: kindName, required: true, doc: "The ontology kind: Person, Organisation, ArmedGroup, State, Place."},
	{name: "name", kind: text, required: true, doc: "The name to show."},
	{name: "aliases", kind: textList, doc: "Other names and spellings the sources use; matched without regard to case."},
	{name: "note", kind: text, doc: "Anything a later reader should know."},
}

var eventFields = []field{
	{name: "id", kind: text, required: true, doc: "Stable id: tehran-2017."},
	{name: "kind", kind: kindName, doc: "Attack (the default) or Event."},
	{name: "name", kind: text, required: true, doc: "The name to show."},
	{name: "aliases", kind: textList, doc: "Other names the sources use."},
	{name: "date", kind: date, doc: "When it happened: YYYY-MM-DD, YYYY-MM or YYYY."},
	{name: "note", kind: text, doc: "Anything a later reader should know."},
}

var documentFields = []field{
	{name: "id", kind: text, required: true, doc: "Stable id of the document: seed-000."},
	{name: "file", kind: text, required: true, doc: "The text file, relative to this annotation file."},
	{name: "title", kind: text, doc: "The title, as the text gives it."},
	{name: "publisher", kind: text, doc: "Who published it; leave out when the text does not say."},
	{name: "url", kind: text, doc: "Where it was published, when known."},
	{name: "date", kind: date, doc: "Publication date, when the text gives it."},
	{name: "reliability", kind: grade, doc: "Admiralty source reliability, A (completely reliable) to F (cannot be judged)."},
	{name: "note", kind: text, doc: "Anything a later reader should know."},
}

var relationFields = []field{
	{name: "subject", kind: text, required: true, doc: "Id of who or what the statement is about: the speaker for BLAMED, CLAIMED, CONDEMNED."},
	{name: "rel", kind: relName, required: true, doc: "The relation type, from the ontology."},
	{name: "object", kind: text, required: true, doc: "Id of the other end."},
	{name: "quote", kind: text, required: true, doc: "The words of the document that say it, copied exactly."},
	{name: "about", kind: text, doc: "Id of the event the statement is about."},
	{name: "date", kind: date, doc: "When it was said or held, resolved from the document's date."},
	{name: "dateText", kind: text, doc: "The source's own wording of the date: Wednesday."},
	{name: "doc", kind: text, doc: "Id of the document the quote is from; defaults to this file's document."},
	{name: "credibility", kind: grade, doc: "Admiralty credibility of the statement, 1 (confirmed) to 6 (cannot be judged)."},
	{name: "role", kind: text, doc: "For LEADS and MEMBER_OF: the office or role."},
	{name: "figures", kind: figures, doc: "For REPORTED: numbers as the source gives them: {killed: at least 12, wounded: 43}."},
	{name: "note", kind: text, doc: "Doubts, context, anything a later reader should know."},
}

var waiverFields = []field{
	{name: "quote", kind: text, required: true, doc: "The sentence, or a part of it, copied exactly."},
	{name: "reason", kind: text, required: true, doc: "Why it carries nothing to annotate."},
	{name: "doc", kind: text, doc: "Id of the document; defaults to this file's document."},
}

func names(fs []field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}
