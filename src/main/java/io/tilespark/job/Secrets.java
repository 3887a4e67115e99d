package io.tilespark.job;

import org.apache.spark.SparkConf;

/**
 * Keeps storage credentials out of what Spark shows and records, and out of our own messages.
 *
 * <p>Spark hides the value of any setting whose key or value matches {@code spark.redaction.regex}
 * in the UI's Environment tab, its REST API and the event log. Its default,
 * {@code (?i)secret|password|token|access[.]?key} (Spark 4.1; 3.3 lacks the {@code ?}), catches the
 * OAuth client secret and the fixed SAS token but not the account key
 * ({@code fs.azure.account.key.ACCOUNT...}) nor WASB's per-container SAS
 * ({@code fs.azure.sas.CONTAINER.ACCOUNT...}). {@link #protect} appends those to whatever regex the
 * user set. Messages are scrubbed separately, by {@link io.tilespark.io.StorageErrors#scrub}.
 */
public final class Secrets {

    public static final String REDACTION_KEY = "spark.redaction.regex";

    /** Spark 4.1's default for {@value #REDACTION_KEY}; a superset of 3.3's. */
    static final String SPARK_DEFAULT_REDACTION = "(?i)secret|password|token|access[.]?key";

    /**
     * Azure's credential-bearing keys, and a SAS signature inside any value (a SAS URL or token).
     * Its own case-insensitive group, so it works whatever flags the user's part carries.
     */
    static final String AZURE_REDACTION = "(?i:fs[.]azure[.]account[.]key|fs[.]azure[.]sas[.]"
            + "|fs[.]azure[.]account[.]oauth2[.]client[.]secret|client-provided-key|sig=)";

    private Secrets() {
    }

    /** Extends {@value #REDACTION_KEY} in place: the user's own regex, or Spark's default, plus Azure's keys. */
    public static SparkConf protect(SparkConf conf) {
        String current = conf.contains(REDACTION_KEY) ? conf.get(REDACTION_KEY) : SPARK_DEFAULT_REDACTION;
        conf.set(REDACTION_KEY, extend(current));
        return conf;
    }

    /** The user's regex with Azure's alternatives appended; unchanged if they are already there. */
    static String extend(String userRegex) {
        if (userRegex == null || userRegex.trim().isEmpty()) {
            return AZURE_REDACTION;
        }
        if (userRegex.contains(AZURE_REDACTION)) {
            return userRegex;
        }
        return userRegex + "|" + AZURE_REDACTION;
    }
}
