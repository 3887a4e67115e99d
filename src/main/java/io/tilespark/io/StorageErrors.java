package io.tilespark.io;

import java.io.FileNotFoundException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what Hadoop's storage connectors throw (ABFS, WASB, Spark's wrappers around them) into one
 * line that names the URI and says what to check, and tells an outage of the whole store from a
 * problem with one file. Knows the connectors only by their exception classes' names and messages,
 * so it works with whichever hadoop-azure the cluster has, or none.
 */
public final class StorageErrors {

    /** What went wrong, from the user's side. */
    enum Kind {
        /** Not a storage problem, or one this class cannot tell apart. */
        OTHER,
        /** The URI's scheme has no file system (typo in abfss://, or a missing connector). */
        UNKNOWN_SCHEME,
        /** The URI does not have the shape the connector needs. */
        BAD_URI,
        /** The host does not resolve: usually a misspelled account name. */
        UNKNOWN_HOST,
        /** No connection, or no answer, after the connector's retries. */
        UNREACHABLE,
        /** The store answered 401/403: wrong key, expired SAS, missing role. */
        DENIED,
        /** No credentials configured for the account. */
        NO_CREDENTIALS,
        /** The container (file system) does not exist. */
        NO_CONTAINER,
        /** The store answered 5xx after retries. */
        SERVER
    }

    private static final Pattern STATUS_IN_MESSAGE =
            Pattern.compile("\", (-?\\d{1,3}), (GET|PUT|HEAD|DELETE|POST|PATCH), ");
    private static final Pattern NO_SCHEME = Pattern.compile("No FileSystem for scheme[: ]*\"?([A-Za-z0-9+.-]*)\"?");
    private static final Pattern IN_TEXT = Pattern.compile(
            "(?i)\\b(sig|accountkey|sharedaccesssignature|client_secret|client-secret|refresh_token|access_token)"
                    + "(=|%3D)[^&\\s;,\"'<>)]+");
    /** hadoop-azure's SimpleKeyProvider puts the configured key in its message: key ="...". */
    private static final Pattern QUOTED_KEY = Pattern.compile("(?i)\\b(key\\s*=\\s*\")[^\"]*\"");
    private static final Pattern SHARED_KEY_HEADER =
            Pattern.compile("(?i)\\b(SharedKey(?:Lite)?\\s+[^:\\s]+:)[A-Za-z0-9+/=]+");

    private StorageErrors() {
    }

    /** The text with credential values (SAS sig=, AccountKey=, client_secret=, SharedKey headers) replaced by "REDACTED". */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = IN_TEXT.matcher(text);
        String out = m.find() ? m.replaceAll("$1$2REDACTED") : text;
        Matcher q = QUOTED_KEY.matcher(out);
        out = q.find() ? q.replaceAll("$1REDACTED\"") : out;
        Matcher h = SHARED_KEY_HEADER.matcher(out);
        return h.find() ? h.replaceAll("$1REDACTED") : out;
    }

    /**
     * For executors: when {@code e} means the store itself is down or refuses us, throws a
     * {@link StorageUnavailableException} naming {@code uri}, which fails the task (and, once
     * Spark's task retries are used up, the job) instead of marking this image and every later
     * one as failed. Returns normally for problems with this one file.
     */
    public static void rethrowIfUnavailable(Throwable e, String uri) {
        Kind k = classify(e);
        if (k == Kind.UNREACHABLE || k == Kind.DENIED || k == Kind.SERVER || k == Kind.UNKNOWN_HOST
                || k == Kind.NO_CREDENTIALS || k == Kind.NO_CONTAINER) {
            throw new StorageUnavailableException(describe(k, e, uri), e);
        }
    }

    /**
     * One line for the console about a failed run, naming the input or output URI involved, or
     * null when {@code t} is not a storage problem. The line is already scrubbed.
     */
    public static String explain(Throwable t, String input, String output) {
        StorageUnavailableException ours = find(t, StorageUnavailableException.class);
        if (ours != null) {
            return scrub(ours.getMessage());
        }
        Kind k = classify(t);
        if (k == Kind.OTHER) {
            return null;
        }
        return describe(k, t, which(t, k, input, output));
    }

    static String describe(Kind k, Throwable t, String uri) {
        String where = uri == null ? "storage" : uri;
        switch (k) {
            case UNKNOWN_SCHEME:
                return "no file system for the scheme of " + where + ": use file:, abfss://, abfs://, wasbs://, wasb:// "
                        + "or hdfs:// (a typo in the scheme, or its connector is missing from the classpath)";
            case BAD_URI:
                return "malformed storage URI " + where + ": expected abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH "
                        + "or wasbs://CONTAINER@ACCOUNT.blob.core.windows.net/PATH (" + shortCause(t) + ")";
            case UNKNOWN_HOST:
                return "cannot resolve the storage host of " + where + " (" + shortCause(t)
                        + "): check the account name in the URI";
            case UNREACHABLE:
                return "storage unreachable at " + where + ": " + shortCause(t)
                        + " (after the connector's retries; see fs.azure.io.retry.max.retries)";
            case DENIED:
                return "access denied to " + where + ": the storage account rejected the credentials (HTTP "
                        + status(t) + "); check the account key, SAS token or OAuth settings for this account";
            case NO_CREDENTIALS:
                // Not the cause's text: hadoop-azure's SimpleKeyProvider quotes the configured key in it.
                return "no usable credentials for " + where + ": the account key is missing or malformed; set "
                        + "spark.hadoop.fs.azure.account.key.ACCOUNT.dfs.core.windows.net, a SAS token or OAuth settings "
                        + "(see docs/azure-storage.md)";
            case NO_CONTAINER:
                return "container not found for " + where + ": create it first, or check the container name in the URI";
            case SERVER:
                return "storage failed at " + where + ": HTTP " + status(t) + " after the connector's retries ("
                        + shortCause(t) + ")";
            default:
                return scrub(oneLine(t));
        }
    }

    static Kind classify(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Kind found = Kind.OTHER;
        for (Throwable c = t; c != null && !seen.containsKey(c); c = c.getCause()) {
            seen.put(c, Boolean.TRUE);
            Kind k = classifyOne(c);
            // The innermost specific cause wins, except that an HTTP status is more telling than
            // the socket error that may sit under it.
            if (k != Kind.OTHER && (found == Kind.OTHER || found == Kind.UNREACHABLE)) {
                found = k;
            }
        }
        return found;
    }

    private static Kind classifyOne(Throwable c) {
        String name = c.getClass().getName();
        String msg = c.getMessage() == null ? "" : c.getMessage();
        if (name.endsWith("UnsupportedFileSystemException") || NO_SCHEME.matcher(msg).find()) {
            return Kind.UNKNOWN_SCHEME;
        }
        if (name.endsWith(".InvalidUriException") || name.endsWith(".InvalidUriAuthorityException")
                || msg.contains("Wrong FS:")) {
            return Kind.BAD_URI;
        }
        if (c instanceof UnknownHostException) {
            return Kind.UNKNOWN_HOST;
        }
        if (name.endsWith("ConfigurationPropertyNotFoundException") || name.endsWith("KeyProviderException")
                || msg.contains("No credentials found for account")) {
            return Kind.NO_CREDENTIALS;
        }
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("containernotfound") || lower.contains("the specified container does not exist")
                || lower.contains("the specified filesystem does not exist") || lower.contains("filesystemnotfound")) {
            return Kind.NO_CONTAINER;
        }
        int status = statusOf(c);
        if (status == 401 || status == 403) {
            return Kind.DENIED;
        }
        if (status >= 500 && status < 600) {
            return Kind.SERVER;
        }
        if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof SocketTimeoutException
                || lower.contains("connection refused") || status == -1 && name.contains("azurebfs")) {
            return Kind.UNREACHABLE;
        }
        return Kind.OTHER;
    }

    /** The HTTP status a connector exception carries (ABFS getStatusCode, WASB getHttpStatusCode), or 0. */
    static int statusOf(Throwable c) {
        for (String getter : new String[] {"getStatusCode", "getHttpStatusCode"}) {
            try {
                Method m = c.getClass().getMethod(getter);
                if (m.getReturnType() == int.class) {
                    return (Integer) m.invoke(c);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this connector's exception
            }
        }
        Matcher m = STATUS_IN_MESSAGE.matcher(c.getMessage() == null ? "" : c.getMessage());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static int status(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && !seen.containsKey(c); c = c.getCause()) {
            seen.put(c, Boolean.TRUE);
            int s = statusOf(c);
            if (s != 0) {
                return s;
            }
        }
        return 0;
    }

    /** Which of the run's two URIs the failure is about: the one its messages mention, else the input. */
    static String which(Throwable t, Kind k, String input, String output) {
        String text = chainText(t);
        if (k == Kind.UNKNOWN_SCHEME) {
            Matcher m = NO_SCHEME.matcher(text);
            String scheme = m.find() ? m.group(1) : "";
            if (!scheme.isEmpty() && scheme.equalsIgnoreCase(schemeOf(output)) && !scheme.equalsIgnoreCase(schemeOf(input))) {
                return output;
            }
            return input;
        }
        boolean in = mentions(text, input);
        boolean out = mentions(text, output);
        if (in != out) {
            return in ? input : output;
        }
        // The connectors' messages often carry no path (a refused connection): the code that was
        // calling them tells which side it was.
        String side = sideFromStack(t);
        if (side != null) {
            return side.equals("input") ? input : output;
        }
        return input == null || input.equals(output) ? input : input + " or " + output;
    }

    /** Callers that touch only the input, or only the output, innermost first. */
    private static final String[][] SIDES = {
        {"io.tilespark.job.Stages$ReadAndCut", "input"},
        {"io.tilespark.job.Inputs", "input"},
        {"io.tilespark.io.AtomicOutput", "output"},
        {"io.tilespark.job.Assembler", "output"},
        {"io.tilespark.report.RunReport", "output"},
        {"org.apache.spark.sql.execution.datasources.", "output"},
        {"org.apache.spark.internal.io.", "output"},
        {"org.apache.hadoop.mapreduce.lib.output.", "output"},
    };

    /** "input" or "output" from the innermost cause's stack frames, or null when they do not tell. */
    static String sideFromStack(Throwable t) {
        Throwable inner = t;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && !seen.containsKey(c); c = c.getCause()) {
            seen.put(c, Boolean.TRUE);
            inner = c;
        }
        for (Throwable c = inner; c != null; c = c == t ? null : parentOf(t, c)) {
            for (StackTraceElement f : c.getStackTrace()) {
                for (String[] side : SIDES) {
                    if (f.getClassName().startsWith(side[0])) {
                        return side[1];
                    }
                }
            }
        }
        return null;
    }

    private static Throwable parentOf(Throwable t, Throwable child) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && !seen.containsKey(c); c = c.getCause()) {
            seen.put(c, Boolean.TRUE);
            if (c.getCause() == child) {
                return c;
            }
        }
        return null;
    }

    /** Whether the text names the URI, its container@account, or its container as a REST path segment. */
    private static boolean mentions(String text, String uri) {
        if (uri == null) {
            return false;
        }
        if (text.contains(uri)) {
            return true;
        }
        try {
            URI u = new URI(uri);
            String container = u.getUserInfo();
            if (container == null) {
                return false;
            }
            String account = u.getHost() == null ? "" : u.getHost().split("\\.")[0];
            return text.contains(container + "@" + account) || text.contains("/" + account + "/" + container + "/")
                    || text.contains("/" + account + "/" + container + "?") || text.contains("//" + account + ".")
                    && text.contains("/" + container);
        } catch (Exception e) {
            return false;
        }
    }

    private static String schemeOf(String uri) {
        int colon = uri == null ? -1 : uri.indexOf(':');
        return colon > 0 ? uri.substring(0, colon) : "";
    }

    private static String chainText(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && !seen.containsKey(c); c = c.getCause()) {
            seen.put(c, Boolean.TRUE);
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    /** The innermost cause's message, short and scrubbed: what actually failed. */
    static String shortCause(Throwable t) {
        Throwable inner = t;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && !seen.containsKey(c); c = c.getCause()) {
            seen.put(c, Boolean.TRUE);
            if (c.getMessage() != null && !c.getMessage().trim().isEmpty()) {
                inner = c;
            }
        }
        String line = oneLine(inner);
        // Drop the request URL and anything after it: the URI is named already, and the query can carry a SAS.
        line = line.replaceAll("https?://\\S+", "").replaceAll("[,\\s]+$", "");
        if (line.length() > 160) {
            line = line.substring(0, 157) + "...";
        }
        return scrub(line);
    }

    private static String oneLine(Throwable t) {
        String msg = t.getMessage();
        if (msg == null || msg.trim().isEmpty()) {
            msg = t.getClass().getSimpleName();
        } else if (t instanceof FileNotFoundException || t instanceof UnknownHostException) {
            msg = t.getClass().getSimpleName() + ": " + msg;
        }
        int nl = msg.indexOf('\n');
        return (nl >= 0 ? msg.substring(0, nl) : msg).trim();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && !seen.containsKey(c); c = c.getCause()) {
            seen.put(c, Boolean.TRUE);
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
