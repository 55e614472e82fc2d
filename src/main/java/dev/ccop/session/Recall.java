package dev.ccop.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Finds the stored passages of a session that a new turn needs: every stored block is cut into passages of a few
 * lines and ranked with Lucene's BM25 against the words of the turn. One small in-memory index per recently active
 * session, built from the store the first time the session is searched (after a restart too) and kept up to date as
 * blocks are recorded.
 */
final class Recall {
    static final int PASSAGE_CHARS = 1_200;
    private static final int MAX_QUERY_TERMS = 64;
    private static final int ACTIVE_SESSIONS = 32;

    /** One ranked passage: the block it comes from (hash, kind, tool) and its text. */
    record Passage(String hash, String kind, String tool, String text, float score) {}

    private final Analyzer analyzer = new CodeAnalyzer();

    /**
     * Words as a coding session writes them: {@code service-3}, {@code src/main.rs} and {@code handle_request} are
     * terms of their own (a question names them exactly as the log or source did) and their parts are terms too;
     * lower-cased, without the English words that carry no subject.
     */
    static final class CodeAnalyzer extends Analyzer {
        private static final Pattern SEPARATORS = Pattern.compile("[\\s,;:!?()\\[\\]{}<>\"'`=|*]+");
        private static final Pattern EDGE_PUNCTUATION = Pattern.compile("^\\p{Punct}+|\\p{Punct}+$");

        @Override
        protected TokenStreamComponents createComponents(String field) {
            Tokenizer source = new PatternTokenizer(SEPARATORS, -1);
            TokenStream stream = new PatternReplaceFilter(source, EDGE_PUNCTUATION, "", true);
            stream = new LengthFilter(stream, 1, 200);
            stream = new WordDelimiterGraphFilter(stream, WordDelimiterGraphFilter.GENERATE_WORD_PARTS
                    | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS | WordDelimiterGraphFilter.PRESERVE_ORIGINAL, null);
            stream = new FlattenGraphFilter(stream);
            stream = new LowerCaseFilter(stream);
            stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            return new TokenStreamComponents(source, stream);
        }
    }
    private final Map<String, SessionIndex> indexes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SessionIndex> eldest) {
            if (size() > ACTIVE_SESSIONS) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    private final class SessionIndex implements AutoCloseable {
        final ByteBuffersDirectory directory = new ByteBuffersDirectory();
        final IndexWriter writer;
        final Set<String> indexed = new HashSet<>();

        SessionIndex() throws IOException {
            writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
        }

        void add(SessionStore.StoredBlock block) throws IOException {
            if (!indexed.add(block.hash()) || block.text().isBlank()) {
                return;
            }
            for (String passage : passages(block.text())) {
                Document doc = new Document();
                doc.add(new StringField("hash", block.hash(), Field.Store.YES));
                doc.add(new StoredField("kind", block.kind()));
                doc.add(new StoredField("tool", block.tool() == null ? "" : block.tool()));
                doc.add(new TextField("text", passage, Field.Store.YES));
                writer.addDocument(doc);
            }
        }

        @Override
        public void close() {
            try {
                writer.close();
                directory.close();
            } catch (IOException ignored) {
                // in memory
            }
        }
    }

    /** Indexes {@code blocks} for a session whose index is in memory; others are built from the store when searched. */
    synchronized void add(String sessionId, List<SessionStore.StoredBlock> blocks) {
        SessionIndex index = indexes.get(sessionId);
        if (index == null) {
            return;
        }
        try {
            for (SessionStore.StoredBlock block : blocks) {
                index.add(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The best passages for {@code query}, leaving out blocks the model can already see ({@code visible}), best first.
     * {@code stored} loads the session's blocks when its index is not in memory.
     */
    synchronized List<Passage> search(String sessionId, String query, Set<String> visible, int limit,
            Supplier<List<SessionStore.StoredBlock>> stored) {
        try {
            SessionIndex index = indexes.get(sessionId);
            if (index == null) {
                index = new SessionIndex();
                for (SessionStore.StoredBlock block : stored.get()) {
                    index.add(block);
                }
                indexes.put(sessionId, index);
            }
            index.writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(index.directory)) {
                // Only words that tell passages apart: one found in most of the session says nothing about a turn.
                BooleanQuery.Builder terms = new BooleanQuery.Builder();
                int clauses = 0;
                for (String term : terms(query)) {
                    if (reader.docFreq(new Term("text", term)) * 2 > reader.numDocs() || clauses == MAX_QUERY_TERMS) {
                        continue;
                    }
                    terms.add(new TermQuery(new Term("text", term)), BooleanClause.Occur.SHOULD);
                    clauses++;
                }
                if (clauses == 0) {
                    return List.of();
                }
                IndexSearcher searcher = new IndexSearcher(reader); // BM25, Lucene's default similarity
                List<Passage> passages = new ArrayList<>();
                for (ScoreDoc hit : searcher.search(terms.build(), limit * 4).scoreDocs) {
                    Document doc = searcher.storedFields().document(hit.doc);
                    if (!visible.contains(doc.get("hash"))) {
                        passages.add(new Passage(doc.get("hash"), doc.get("kind"), doc.get("tool"), doc.get("text"),
                                hit.score));
                    }
                    if (passages.size() == limit) {
                        break;
                    }
                }
                return passages;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void forget(String sessionId) {
        SessionIndex index = indexes.remove(sessionId);
        if (index != null) {
            index.close();
        }
    }

    private Set<String> terms(String text) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }

    /** Cuts a text into passages of about {@link #PASSAGE_CHARS}, at line ends where there are any. */
    static List<String> passages(String text) {
        List<String> passages = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + PASSAGE_CHARS);
            if (end < text.length()) {
                int newline = text.lastIndexOf('\n', end);
                if (newline > start + PASSAGE_CHARS / 2) {
                    end = newline + 1;
                }
            }
            passages.add(text.substring(start, end));
            start = end;
        }
        return passages;
    }
}
