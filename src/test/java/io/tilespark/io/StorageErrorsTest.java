package io.tilespark.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;

import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.junit.jupiter.api.Test;

import io.tilespark.report.ManifestRow;

/** The parts of StorageErrors that need no server; the Azurite tests cover the connectors' real exceptions. */
class StorageErrorsTest {

    static final String IN = "abfss://photos@acct.dfs.core.windows.net/in";
    static final String OUT = "abfss://results@acct.dfs.core.windows.net/out";

    @Test
    void scrubHidesSasSignaturesKeysAndSecretsInUrlsAndConnectionStrings() {
        String url = "Operation failed: 403, GET, https://acct.blob.core.windows.net/c/x.jpg?sv=2022-11-02&sp=r&sig=Ab%2Bc%2Fd%3D&se=2099";
        String s = StorageErrors.scrub(url);
        assertFalse(s.contains("Ab%2Bc"), s);
        assertTrue(s.contains("sig=REDACTED&se=2099"), s);
        assertTrue(s.contains("sv=2022-11-02"), "the rest stays readable: " + s);

        String cs = StorageErrors.scrub("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5==;EndpointSuffix=x");
        assertFalse(cs.contains("c2VjcmV0a2V5"), cs);
        assertTrue(cs.contains("AccountName=acct"), cs);

        assertFalse(StorageErrors.scrub("body grant_type=client_credentials&client_secret=s3cr3t&scope=x").contains("s3cr3t"));
        assertFalse(StorageErrors.scrub("Failure to initialize configuration for acct key =\"not base64 k3y\": Invalid")
                .contains("k3y"));
        assertFalse(StorageErrors.scrub("Authorization: SharedKey acct:QUJDREVGR0g=").contains("QUJDREVGR0g"));
        assertNull(StorageErrors.scrub(null));
    }

    @Test
    void manifestErrorsAreScrubbed() {
        assertFalse(ManifestRow.oneLine(new IOException("GET https://a/c/x?sig=TOPSECRET")).contains("TOPSECRET"));
    }

    @Test
    void refusedConnectionIsAnOutageAndFailsTheTaskNamingTheUri() {
        IOException e = new IOException("Status code: -1 error code: null", new ConnectException("Connection refused"));
        StorageUnavailableException thrown = assertThrows(StorageUnavailableException.class,
                () -> StorageErrors.rethrowIfUnavailable(e, IN + "/a.jpg"));
        assertTrue(thrown.getMessage().startsWith("storage unreachable at " + IN + "/a.jpg: Connection refused"),
                thrown.getMessage());
        assertEquals(thrown.getMessage(), StorageErrors.explain(new RuntimeException("Job aborted", thrown), IN, OUT),
                "the executor's line is the one the user sees");
    }

    @Test
    void problemsWithOneFileStayThatFilesProblem() {
        assertDoesNotThrow(() -> StorageErrors.rethrowIfUnavailable(new FileNotFoundException(
                "Operation failed: \"The specified blob does not exist.\", 404, GET, https://acct.blob.core.windows.net/c/x"),
                IN));
        assertDoesNotThrow(() -> StorageErrors.rethrowIfUnavailable(new DecodeException("not an image"), IN));
        assertDoesNotThrow(() -> StorageErrors.rethrowIfUnavailable(new IllegalArgumentException("bad"), IN));
        assertNull(StorageErrors.explain(new IllegalStateException("operator failed"), IN, OUT));
    }

    @Test
    void unresolvableAccountHostSaysToCheckTheAccountName() {
        IOException e = new IOException("request failed", new java.net.UnknownHostException("acct.dfs.core.windows.net"));
        String line = StorageErrors.explain(e, IN, OUT);
        assertTrue(line.startsWith("cannot resolve the storage host of " + IN), line);
        assertTrue(line.endsWith("check the account name in the URI"), line);
    }

    @Test
    void unknownSchemeNamesTheUriThatUsesIt() {
        String typo = "abfz://results@acct.dfs.core.windows.net/out";
        String line = StorageErrors.explain(new UnsupportedFileSystemException("No FileSystem for scheme \"abfz\""), IN, typo);
        assertTrue(line.startsWith("no file system for the scheme of " + typo), line);
    }

    @Test
    void aPathlessErrorIsPlacedByTheCodeThatHitIt() {
        IOException write = new IOException("Status code: -1", new ConnectException("Connection refused"));
        write.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.apache.hadoop.fs.azurebfs.AzureBlobFileSystem", "create", "A.java", 1),
            new StackTraceElement("io.tilespark.io.AtomicOutput", "write", "AtomicOutput.java", 1)});
        write.getCause().setStackTrace(write.getStackTrace());
        assertTrue(StorageErrors.explain(write, IN, OUT).startsWith("storage unreachable at " + OUT + ":"));

        IOException read = new IOException("Status code: -1", new ConnectException("Connection refused"));
        read.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.tilespark.job.Inputs", "list", "Inputs.java", 1)});
        read.getCause().setStackTrace(new StackTraceElement[0]);
        assertTrue(StorageErrors.explain(read, IN, OUT).startsWith("storage unreachable at " + IN + ":"));

        IOException nowhere = new IOException("Connection refused");
        nowhere.setStackTrace(new StackTraceElement[0]);
        assertTrue(StorageErrors.explain(nowhere, IN, OUT).startsWith("storage unreachable at " + IN + " or " + OUT));
    }

    @Test
    void aRestUrlInTheMessageTellsWhichContainer() {
        IOException e = new IOException("Operation failed: \"Server failed to authenticate the request.\", 403, PUT, "
                + "https://acct.dfs.core.windows.net/results/out/x.jpg?resource=file&sig=zzz");
        String line = StorageErrors.explain(e, IN, OUT);
        assertTrue(line.startsWith("access denied to " + OUT + ": "), line);
        assertTrue(line.contains("HTTP 403"), line);
        assertFalse(line.contains("zzz"), line);
    }
}
