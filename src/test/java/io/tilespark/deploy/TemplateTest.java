package io.tilespark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Structure of azure-hdinsight/azuredeploy.json, and that main.bicep declares the same thing.
 * Nothing here reaches Azure: the checks are on the template text, the way a reviewer would read it.
 */
class TemplateTest {

    private static final Path DIR = Path.of("azure-hdinsight");
    private static final String IDENTITY_ID =
            "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))";
    private static final String STORAGE_ID =
            "resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))";
    private static final String BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";

    private static JsonNode template;
    private static String templateText;
    private static String bicep;

    @BeforeAll
    static void read() throws IOException {
        templateText = Files.readString(DIR.resolve("azuredeploy.json"), StandardCharsets.UTF_8);
        template = new ObjectMapper().readTree(templateText);
        bicep = Files.readString(DIR.resolve("main.bicep"), StandardCharsets.UTF_8);
    }

    private static List<JsonNode> resources(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : template.get("resources")) {
            if (r.get("type").asText().equals(type)) {
                out.add(r);
            }
        }
        return out;
    }

    private static JsonNode only(String type) {
        List<JsonNode> found = resources(type);
        assertEquals(1, found.size(), "exactly one " + type);
        return found.get(0);
    }

    private static JsonNode cluster() {
        return only("Microsoft.HDInsight/clusters");
    }

    /** "[expr]" → "expr"; a plain string stays as it is. */
    private static String expr(JsonNode n) {
        String s = n.asText();
        return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    @Test
    void resourceTypesAndApiVersionsAreTheOnesWeTested() {
        Map<String, Set<String>> seen = new TreeMap<>();
        for (JsonNode r : template.get("resources")) {
            seen.computeIfAbsent(r.get("type").asText(), k -> new TreeSet<>()).add(r.get("apiVersion").asText());
        }
        Map<String, Set<String>> expected = new TreeMap<>();
        expected.put("Microsoft.HDInsight/clusters", Set.of("2021-06-01"));
        expected.put("Microsoft.Storage/storageAccounts", Set.of("2023-01-01"));
        expected.put("Microsoft.Storage/storageAccounts/blobServices/containers", Set.of("2023-01-01"));
        expected.put("Microsoft.ManagedIdentity/userAssignedIdentities", Set.of("2023-01-31"));
        expected.put("Microsoft.Authorization/roleAssignments", Set.of("2022-04-01"));
        assertEquals(expected, seen);
        assertTrue(template.get("$schema").asText().endsWith("/deploymentTemplate.json#"));
    }

    @Test
    void clusterIsHdinsight51Spark33OnLinux() {
        JsonNode p = cluster().get("properties");
        assertEquals("5.1", p.get("clusterVersion").asText());
        assertEquals("Linux", p.get("osType").asText());
        assertEquals("spark", p.get("clusterDefinition").get("kind").asText());
        assertEquals("3.3", p.get("clusterDefinition").get("componentVersion").get("Spark").asText());
        assertEquals("1.2", p.get("minSupportedTlsVersion").asText());
        List<String> roles = new ArrayList<>();
        for (JsonNode role : p.get("computeProfile").get("roles")) {
            roles.add(role.get("name").asText());
        }
        assertEquals(List.of("headnode", "workernode"), roles);
    }

    @Test
    void storageIsAdlsGen2WithTheThreeContainers() {
        JsonNode account = only("Microsoft.Storage/storageAccounts");
        assertEquals("StorageV2", account.get("kind").asText());
        JsonNode p = account.get("properties");
        assertTrue(p.get("isHnsEnabled").asBoolean(), "hierarchical namespace makes it ADLS Gen2");
        assertTrue(p.get("supportsHttpsTrafficOnly").asBoolean());
        assertFalse(p.get("allowBlobPublicAccess").asBoolean());
        assertEquals("TLS1_2", p.get("minimumTlsVersion").asText());

        JsonNode containers = only("Microsoft.Storage/storageAccounts/blobServices/containers");
        assertEquals("[length(variables('containerNames'))]", containers.get("copy").get("count").asText());
        assertTrue(containers.get("name").asText().contains("variables('containerNames')[copyIndex()]"));
        List<String> names = new ArrayList<>();
        template.get("variables").get("containerNames").forEach(n -> names.add(n.asText()));
        assertEquals(List.of("cluster", "input", "output"), names);
        assertEquals("None", containers.get("properties").get("publicAccess").asText());
    }

    @Test
    void clusterReachesItsDefaultStorageThroughTheUserAssignedIdentity() {
        JsonNode c = cluster();
        assertEquals("UserAssigned", c.get("identity").get("type").asText());
        List<String> identityKeys = new ArrayList<>();
        c.get("identity").get("userAssignedIdentities").fieldNames().forEachRemaining(identityKeys::add);
        assertEquals(1, identityKeys.size());
        assertTrue(identityKeys.get(0).contains(IDENTITY_ID), identityKeys.get(0));

        JsonNode accounts = c.get("properties").get("storageProfile").get("storageaccounts");
        assertEquals(1, accounts.size());
        JsonNode sa = accounts.get(0);
        assertTrue(sa.get("isDefault").asBoolean());
        assertEquals("cluster", sa.get("fileSystem").asText());
        assertEquals(IDENTITY_ID, expr(sa.get("msiResourceId")));
        assertEquals(STORAGE_ID, expr(sa.get("resourceId")));
        assertEquals("variables('dfsHost')", expr(sa.get("name")));
        assertEquals("format('{0}.dfs.{1}', parameters('storageAccountName'), environment().suffixes.storage)",
                expr(template.get("variables").get("dfsHost")),
                "ACCOUNT.dfs.core.windows.net in the public cloud");
        assertFalse(sa.has("key") || sa.has("saskey"), "no account key or SAS: the identity is enough");

        JsonNode identity = only("Microsoft.ManagedIdentity/userAssignedIdentities");
        assertEquals("[parameters('identityName')]", identity.get("name").asText());
    }

    @Test
    void identityHoldsStorageBlobDataOwnerOnTheAccountBeforeTheClusterIsMade() {
        JsonNode owner = null;
        for (JsonNode ra : resources("Microsoft.Authorization/roleAssignments")) {
            if (ra.get("properties").get("roleDefinitionId").asText().contains("storageBlobDataOwnerRoleId")) {
                owner = ra;
            }
        }
        assertNotNull(owner, "a role assignment with the Storage Blob Data Owner role");
        assertFalse(owner.has("condition"), "the identity's role is not optional");
        assertEquals(BLOB_DATA_OWNER, template.get("variables").get("storageBlobDataOwnerRoleId").asText());
        JsonNode p = owner.get("properties");
        assertEquals("subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('storageBlobDataOwnerRoleId'))",
                expr(p.get("roleDefinitionId")));
        assertEquals("reference(" + IDENTITY_ID + ", '2023-01-31').principalId", expr(p.get("principalId")));
        assertEquals("ServicePrincipal", p.get("principalType").asText());
        assertEquals("format('Microsoft.Storage/storageAccounts/{0}', parameters('storageAccountName'))",
                expr(owner.get("scope")), "scoped to the account, not the resource group");

        String clusterDeps = cluster().get("dependsOn").toString();
        assertTrue(clusterDeps.contains("Microsoft.Authorization/roleAssignments"),
                "the cluster waits for the role assignment: " + clusterDeps);
        assertTrue(clusterDeps.contains("\"containers\""), "the cluster waits for its container: " + clusterDeps);
    }

    @Test
    void secretsAreSecureParametersWithoutDefaults() {
        Pattern secretish = Pattern.compile("(?i)password|secret|pwd|token|credential|key");
        List<String> secure = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.get("parameters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = e.getValue().get("type").asText();
            if (secretish.matcher(e.getKey()).find()) {
                assertEquals("securestring", type, e.getKey() + " looks secret, so it must be securestring");
            }
            if (type.startsWith("secure")) {
                assertFalse(e.getValue().has("defaultValue"), e.getKey() + " must have no default");
                secure.add(e.getKey());
            }
        }
        assertEquals(List.of("clusterLoginPassword", "sshPasswordOrKey"), secure);

        JsonNode gateway = cluster().get("properties").get("clusterDefinition").get("configurations").get("gateway");
        assertEquals("[parameters('clusterLoginPassword')]", gateway.get("restAuthCredential.password").asText());
        for (JsonNode role : cluster().get("properties").get("computeProfile").get("roles")) {
            String profile = role.get("osProfile").get("linuxOperatingSystemProfile").asText();
            assertTrue(profile.contains("'password', parameters('sshPasswordOrKey')"), profile);
            assertTrue(profile.contains("'certificateData', parameters('sshPasswordOrKey')"), profile);
        }
    }

    @Test
    void nothingSecretIsListedOrOutput() {
        String lower = templateText.toLowerCase();
        for (String f : List.of("listkeys(", "listaccountsas(", "listservicesas(", "listcredential")) {
            assertFalse(lower.contains(f), "the template must not call " + f);
        }
        Set<String> secureParams = Set.of("clusterLoginPassword", "sshPasswordOrKey");
        for (Iterator<Map.Entry<String, JsonNode>> it = template.get("outputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = e.getValue().get("type").asText().toLowerCase();
            String value = e.getValue().get("value").asText();
            assertFalse(type.startsWith("secure"), e.getKey());
            assertFalse(value.toLowerCase().matches(".*(key|password|secret|sas|reference\\().*"),
                    e.getKey() + " = " + value);
            for (String p : secureParams) {
                assertFalse(value.contains(p), e.getKey() + " must not expose " + p);
            }
            assertFalse(e.getKey().toLowerCase().matches(".*(key|password|secret).*"), e.getKey());
        }
    }

    @Test
    void outputsGiveTheGatewayUrlsAndTheStorageAccount() {
        JsonNode out = template.get("outputs");
        assertEquals("format('https://{0}.azurehdinsight.net', parameters('clusterName'))",
                expr(template.get("variables").get("gateway")));
        assertEquals("variables('gateway')", expr(out.get("ambariUrl").get("value")));
        assertEquals("format('{0}/livy', variables('gateway'))", expr(out.get("livyUrl").get("value")));
        assertEquals("format('{0}/sparkhistory', variables('gateway'))", expr(out.get("sparkHistoryUrl").get("value")));
        assertEquals("format('{0}/yarnui/hn/cluster', variables('gateway'))", expr(out.get("yarnUrl").get("value")));
        assertEquals("parameters('storageAccountName')", expr(out.get("storageAccountName").get("value")));
        assertEquals("format('{0}-ssh.azurehdinsight.net', parameters('clusterName'))",
                expr(out.get("sshHost").get("value")));
    }

    @Test
    void autoscaleIsOptionalLoadOrNightSchedule() {
        JsonNode mode = template.get("parameters").get("autoscaleMode");
        assertEquals("none", mode.get("defaultValue").asText());
        List<String> allowed = new ArrayList<>();
        mode.get("allowedValues").forEach(v -> allowed.add(v.asText()));
        assertEquals(List.of("none", "load", "schedule"), allowed);

        JsonNode worker = cluster().get("properties").get("computeProfile").get("roles").get(1);
        assertEquals("workernode", worker.get("name").asText());
        assertEquals("[variables('workerAutoscale')]", worker.get("autoscale").asText());
        assertEquals("[parameters('workerNodeCount')]", worker.get("targetInstanceCount").asText());
        assertEquals("[parameters('workerNodeSize')]", worker.get("hardwareProfile").get("vmSize").asText());
        assertEquals("if(equals(parameters('autoscaleMode'), 'load'), variables('loadAutoscale'), "
                        + "if(equals(parameters('autoscaleMode'), 'schedule'), variables('scheduleAutoscale'), null()))",
                expr(template.get("variables").get("workerAutoscale")));

        JsonNode load = template.get("variables").get("loadAutoscale").get("capacity");
        assertEquals("[parameters('autoscaleMinWorkers')]", load.get("minInstanceCount").asText());
        assertEquals("[parameters('autoscaleMaxWorkers')]", load.get("maxInstanceCount").asText());

        JsonNode rules = template.get("variables").get("scheduleAutoscale").get("recurrence").get("schedule");
        assertEquals(2, rules.size(), "one rule opens the night window, one closes it");
        assertEquals("[parameters('nightStartTime')]", rules.get(0).get("timeAndCapacity").get("time").asText());
        assertEquals("[parameters('nightEndTime')]", rules.get(1).get("timeAndCapacity").get("time").asText());
        for (JsonNode rule : rules) {
            JsonNode tc = rule.get("timeAndCapacity");
            assertEquals(tc.get("minInstanceCount"), tc.get("maxInstanceCount"), "a schedule rule sets one size");
            assertEquals("[variables('everyDay')]", rule.get("days").asText());
        }
        assertEquals(7, template.get("variables").get("everyDay").size());
    }

    @Test
    void everyParameterAndVariableIsUsed() {
        // Look for uses outside the parameters block, so that a parameter used only as another's
        // default still counts as unused.
        String body = template.get("variables").toString() + template.get("resources") + template.get("outputs");
        for (Iterator<String> it = template.get("parameters").fieldNames(); it.hasNext(); ) {
            String p = it.next();
            assertTrue(body.contains("parameters('" + p + "')"), "parameter " + p + " is declared but unused");
        }
        for (Iterator<String> it = template.get("variables").fieldNames(); it.hasNext(); ) {
            String v = it.next();
            String elsewhere = template.get("resources").toString() + template.get("outputs");
            boolean usedByAnotherVariable = false;
            for (Iterator<Map.Entry<String, JsonNode>> vs = template.get("variables").fields(); vs.hasNext(); ) {
                Map.Entry<String, JsonNode> other = vs.next();
                if (!other.getKey().equals(v) && other.getValue().toString().contains("variables('" + v + "')")) {
                    usedByAnotherVariable = true;
                }
            }
            assertTrue(elsewhere.contains("variables('" + v + "')") || usedByAnotherVariable,
                    "variable " + v + " is unused");
        }
    }

    // ---------------------------------------------------------------- main.bicep agrees

    /** One {@code param} of main.bicep with the decorators just above it. */
    private record BicepParam(String type, boolean secure, String defaultText, List<String> allowed) {
    }

    private static Map<String, BicepParam> bicepParams() {
        Map<String, BicepParam> params = new LinkedHashMap<>();
        Pattern param = Pattern.compile("^param (\\w+) (\\w+)(?: = (.+))?$");
        List<String> lines = bicep.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = param.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            boolean secure = false;
            List<String> allowed = new ArrayList<>();
            for (int j = i - 1; j >= 0 && !lines.get(j).isBlank() && !lines.get(j).startsWith("param "); j--) {
                String l = lines.get(j).trim();
                if (l.equals("@secure()")) {
                    secure = true;
                }
                if (l.matches("'[^']*'")) {
                    allowed.add(0, l.substring(1, l.length() - 1));
                }
            }
            params.put(m.group(1), new BicepParam(m.group(2), secure, m.group(3), allowed));
        }
        return params;
    }

    @Test
    void bicepDeclaresTheSameParametersWithTheSameTypesDefaultsAndChoices() {
        Map<String, BicepParam> bp = bicepParams();
        List<String> jsonNames = new ArrayList<>();
        template.get("parameters").fieldNames().forEachRemaining(jsonNames::add);
        assertEquals(jsonNames, new ArrayList<>(bp.keySet()), "same parameters, same order");

        for (Map.Entry<String, BicepParam> e : bp.entrySet()) {
            JsonNode jp = template.get("parameters").get(e.getKey());
            BicepParam b = e.getValue();
            String expectedType = b.secure() ? "secure" + b.type() : b.type();
            assertEquals(expectedType, jp.get("type").asText(), e.getKey());
            if (b.secure()) {
                assertEquals(null, b.defaultText(), e.getKey() + " is @secure() and must have no default in bicep");
            }
            assertEquals(b.defaultText() != null, jp.has("defaultValue"), e.getKey() + ": default in one, not the other");
            if (b.defaultText() != null && b.defaultText().matches("'[^'$]*'")) {
                assertEquals(b.defaultText().substring(1, b.defaultText().length() - 1), jp.get("defaultValue").asText(),
                        e.getKey());
            } else if (b.defaultText() != null && b.defaultText().matches("-?\\d+")) {
                assertEquals(Long.parseLong(b.defaultText()), jp.get("defaultValue").asLong(), e.getKey());
            }
            List<String> jsonAllowed = new ArrayList<>();
            if (jp.has("allowedValues")) {
                jp.get("allowedValues").forEach(v -> jsonAllowed.add(v.asText()));
            }
            assertEquals(jsonAllowed, b.allowed(), e.getKey() + " allowed values");
        }
    }

    @Test
    void bicepDeclaresTheSameResourcesAndOutputs() {
        Set<String> bicepResources = new TreeSet<>();
        Matcher r = Pattern.compile("(?m)^resource \\w+ '([^'@]+)@([^']+)' (existing )?=").matcher(bicep);
        while (r.find()) {
            if (r.group(3) == null) {
                bicepResources.add(r.group(1) + "@" + r.group(2));
            }
        }
        Set<String> jsonResources = new TreeSet<>();
        for (JsonNode res : template.get("resources")) {
            jsonResources.add(res.get("type").asText() + "@" + res.get("apiVersion").asText());
        }
        assertEquals(jsonResources, bicepResources);

        List<String> bicepOutputs = new ArrayList<>();
        Matcher o = Pattern.compile("(?m)^output (\\w+) string =").matcher(bicep);
        while (o.find()) {
            bicepOutputs.add(o.group(1));
        }
        List<String> jsonOutputs = new ArrayList<>();
        template.get("outputs").fieldNames().forEachRemaining(jsonOutputs::add);
        assertEquals(jsonOutputs, bicepOutputs);

        for (String fact : List.of("clusterVersion: '5.1'", "kind: 'spark'", "type: 'UserAssigned'",
                "isHnsEnabled: true", "msiResourceId: identity.id", "'" + BLOB_DATA_OWNER + "'")) {
            assertTrue(bicep.contains(fact), "main.bicep says " + fact);
        }
    }
}
