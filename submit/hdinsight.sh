#!/usr/bin/env bash
# Runs tilespark on an HDInsight 5.1 cluster: builds (or takes) the -Phdinsight jar, uploads it to
# the cluster's storage, and submits it through Livy (default) or spark-submit over SSH.
#
# Secrets never go on a command line. The Livy password comes from HDI_PASSWORD or, when you are
# logged in with az, from the cluster's gateway settings; it reaches the Java submitter through
# its environment only.
set -euo pipefail

# Empty arrays under `set -u`, mapfile and printf -v need bash 4.4+ (macOS: brew install bash).
if (( BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4) )); then
  echo "${0##*/}: needs bash 4.4 or newer, this is $BASH_VERSION" >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
main_class="io.tilespark.Main"

usage() {
  cat <<'EOF'
Usage:
  submit/hdinsight.sh livy [options] [-- JOB_ARGS...]   submit as a Livy batch and wait (default)
  submit/hdinsight.sh ssh  [options] [-- JOB_ARGS...]   run spark-submit on the head node over SSH

Options:
  -n, --cluster NAME         cluster name (env HDI_CLUSTER)
  -g, --resource-group RG    its resource group (env HDI_RESOURCE_GROUP); used to look up the
                             storage account and, if HDI_PASSWORD is unset, the gateway password
  --storage-account NAME     the cluster's ADLS Gen2 account (env HDI_STORAGE_ACCOUNT; else looked up)
  --jar PATH                 use this -Phdinsight jar instead of building one
  --jar-uri URI              the jar is already in cluster storage here: skip build and upload
  --name NAME                Spark application name (default tilespark-UTCSTAMP)
  --executor-memory SIZE     default 8g
  --executor-overhead SIZE   off-heap room per executor for OpenCV's Mats (default 3g)
  --executor-cores N         default 4
  --num-executors N          default: the cluster decides
  --conf KEY=VALUE           extra Spark setting; repeatable
  --livy-url URL             Livy endpoint override (default https://CLUSTER.azurehdinsight.net/livy)
  --ssh-user USER            for the ssh mode (default sshuser)
  --no-wait                  livy mode: submit and return the batch id
  --dry-run                  livy mode: print the Livy request body; nothing is uploaded or sent
  --print-command            ssh mode: upload the jar, then print the spark-submit command for the
                             head node instead of running it (for a nightly cron job; see README)

Environment:
  HDI_USER       cluster login (default admin)
  HDI_PASSWORD   cluster login password; if unset, fetched with az (needs Contributor or
                 HDInsight Cluster Operator on the cluster)

Exit status: 0 success; 1 the job failed (the Livy log tail is printed); 2 usage; 3 Livy
unreachable or refusing; 4 stopped waiting while the job runs on.

Example:
  export HDI_CLUSTER=mycluster HDI_RESOURCE_GROUP=tilespark-rg
  submit/hdinsight.sh livy -- abfs://input@ACCOUNT.dfs.core.windows.net/ abfs://output@ACCOUNT.dfs.core.windows.net/run1 ...
EOF
}

die_usage() {
  echo "hdinsight.sh: $*" >&2
  echo "Run 'submit/hdinsight.sh --help' for usage." >&2
  exit 2
}

die() {
  echo "hdinsight.sh: $*" >&2
  exit 1
}

need_value() {
  [[ $# -ge 2 && -n $2 ]] || die_usage "$1 needs a value"
}

need_az() {
  command -v az >/dev/null 2>&1 || die "the az CLI is not installed (https://learn.microsoft.com/cli/azure/install-azure-cli)"
  az account show --output none 2>/dev/null || die "not logged in to Azure: run 'az login' first"
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -c1-64
  else
    shasum -a 256 "$1" | cut -c1-64
  fi
}

# --------------------------------------------------------------------------------- arguments

mode=livy
if [[ $# -gt 0 ]]; then
  case $1 in
    livy|ssh) mode=$1; shift ;;
    -h|--help|help) usage; exit 0 ;;
  esac
fi

cluster=${HDI_CLUSTER:-}
rg=${HDI_RESOURCE_GROUP:-}
storage=${HDI_STORAGE_ACCOUNT:-}
jar=""
jar_uri=""
livy_url=""
ssh_user="sshuser"
no_wait=0
dry_run=0
print_command=0
passthrough=()   # options handed to LivySubmit as they are
job_args=()

while [[ $# -gt 0 ]]; do
  case $1 in
    -n|--cluster) need_value "$@"; cluster=$2; shift 2 ;;
    -g|--resource-group) need_value "$@"; rg=$2; shift 2 ;;
    --storage-account) need_value "$@"; storage=$2; shift 2 ;;
    --jar) need_value "$@"; jar=$2; shift 2 ;;
    --jar-uri) need_value "$@"; jar_uri=$2; shift 2 ;;
    --livy-url) need_value "$@"; livy_url=$2; shift 2 ;;
    --ssh-user) need_value "$@"; ssh_user=$2; shift 2 ;;
    --name|--executor-memory|--executor-overhead|--executor-cores|--num-executors|--conf)
      need_value "$@"; passthrough+=("$1" "$2"); shift 2 ;;
    --no-wait) no_wait=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --print-command) print_command=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; job_args=("$@"); break ;;
    *password*|*secret*) die_usage "secrets are not taken as arguments; set HDI_PASSWORD in the environment" ;;
    *) die_usage "unknown option '$1' (job arguments go after --)" ;;
  esac
done

[[ -n $cluster || -n $livy_url ]] || die_usage "name the cluster with -n or HDI_CLUSTER"
[[ -z $cluster || $cluster =~ ^[a-z][a-z0-9-]{2,58}$ ]] || die_usage "'$cluster' is not a cluster name"
[[ -z $jar || -r $jar ]] || die_usage "cannot read --jar $jar"
if [[ $mode == ssh ]] && (( no_wait || dry_run )); then
  die_usage "--no-wait and --dry-run are for the livy mode"
fi
if [[ $mode == livy ]] && (( print_command )); then
  die_usage "--print-command is for the ssh mode"
fi
command -v java >/dev/null 2>&1 || die "java is needed to run the submitter (any Java 8 or newer)"

# --------------------------------------------------------------------------------- the jar

# LivySubmit runs from the job jar itself, so even with --jar-uri a local jar is needed.
if [[ -z $jar ]]; then
  echo "Building the HDInsight jar (mvn -Phdinsight -DskipTests package) ..." >&2
  (cd "$repo" && mvn -q -Phdinsight -DskipTests package) >&2
  jar=""
  for candidate in "$repo"/target/hdinsight/tilespark-*.jar; do
    case $candidate in *-sources.jar|*-javadoc.jar|*/original-*) continue ;; esac
    [[ -f $candidate ]] && jar=$candidate
  done
  [[ -n $jar ]] || die "the build made no target/hdinsight/tilespark-*.jar"
fi

submitter=(java -cp "$jar" io.tilespark.deploy.LivySubmit)

# Refuse a Spark 4 / Java 17 jar before anything is uploaded: HDInsight 5.1 runs Spark 3.3 on Java 8.
"${submitter[@]}" --require-target hdinsight --print-conf >/dev/null

# --------------------------------------------------------------------------------- storage

lookup_storage() {
  [[ -n $storage ]] && return
  [[ -n $rg ]] || die_usage "give --storage-account (or HDI_STORAGE_ACCOUNT), or -g so it can be looked up"
  need_az
  local host
  host=$(az hdinsight show --name "$cluster" --resource-group "$rg" \
      --query "properties.storageProfile.storageaccounts[?isDefault].name | [0]" --output tsv)
  [[ -n $host ]] || die "could not find the default storage account of $cluster"
  storage=${host%%.*}
}

if [[ -z $jar_uri ]]; then
  if (( dry_run )); then
    jar_uri="abfs://cluster@${storage:-ACCOUNT}.dfs.core.windows.net/tilespark/jars/$(basename "$jar")"
  else
    lookup_storage
    need_az
    # The name carries the content hash: a nightly run never overwrites the jar under a job that
    # is still running, and an unchanged jar is not uploaded twice.
    hash=$(sha256_of "$jar")
    remote_path="tilespark/jars/$(basename "$jar" .jar)-${hash:0:12}.jar"
    jar_uri="abfs://cluster@$storage.dfs.core.windows.net/$remote_path"
    exists=$(az storage fs file exists --auth-mode login --account-name "$storage" \
        --file-system cluster --path "$remote_path" --query exists --output tsv 2>/dev/null || echo false)
    if [[ $exists == true ]]; then
      echo "Jar already in cluster storage: $jar_uri" >&2
    else
      echo "Uploading $(basename "$jar") to $jar_uri ..." >&2
      az storage fs file upload --auth-mode login --account-name "$storage" --file-system cluster \
          --source "$jar" --path "$remote_path" --overwrite true --only-show-errors --output none
    fi
  fi
fi

# --------------------------------------------------------------------------------- ssh mode

if [[ $mode == ssh ]]; then
  [[ -n $cluster ]] || die_usage "the ssh mode needs the cluster name"
  # The same Spark settings as a Livy batch, from the one place that defines them.
  mapfile -t conf_lines < <("${submitter[@]}" --print-conf "${passthrough[@]}")
  remote=(spark-submit --master yarn --deploy-mode cluster --class "$main_class")
  for kv in "${conf_lines[@]}"; do
    remote+=(--conf "$kv")
  done
  for ((i = 0; i < ${#passthrough[@]}; i += 2)); do
    [[ ${passthrough[i]} == --name ]] && remote+=(--name "${passthrough[i + 1]}")
  done
  n_options=${#remote[@]}   # spark-submit's own options end here; the jar and job arguments follow
  remote+=("$jar_uri" "${job_args[@]}")
  if (( print_command )); then
    # One option (with its value) a line, so that the command is easy to read and edit in a
    # cron script. Every spark-submit option used here takes a value.
    printf '%q' "${remote[0]}"
    for ((i = 1; i < ${#remote[@]}; i++)); do
      if (( i < n_options )); then
        printf ' \\\n  %q %q' "${remote[i]}" "${remote[i + 1]}"
        i=$((i + 1))
      else
        printf ' \\\n  %q' "${remote[i]}"
      fi
    done
    printf '\n'
    exit 0
  fi
  # ssh hands the remote shell one string: quote each word for bash on the head node.
  printf -v remote_cmd '%q ' "${remote[@]}"
  host="$cluster-ssh.azurehdinsight.net"
  echo "Running spark-submit on $host as $ssh_user (cluster deploy mode; waits for the end) ..." >&2
  echo "YARN: https://$cluster.azurehdinsight.net/yarnui/hn/cluster   Spark History: https://$cluster.azurehdinsight.net/sparkhistory" >&2
  exec ssh "$ssh_user@$host" "$remote_cmd"
fi

# --------------------------------------------------------------------------------- livy mode

livy_args=(--require-target hdinsight --file "$jar_uri" --class "$main_class")
if [[ -n $livy_url ]]; then
  livy_args+=(--livy-url "$livy_url")
else
  livy_args+=(--cluster "$cluster")
fi
(( no_wait )) && livy_args+=(--no-wait)
(( dry_run )) && livy_args+=(--dry-run)
livy_args+=("${passthrough[@]}")

if (( dry_run )); then
  exec "${submitter[@]}" "${livy_args[@]}" -- "${job_args[@]}"
fi

password=${HDI_PASSWORD:-}
if [[ -z $password ]]; then
  [[ -n $rg && -n $cluster ]] || die_usage "set HDI_PASSWORD, or give -n and -g so it can be fetched with az"
  need_az
  echo "Fetching the gateway password of $cluster with az ..." >&2
  # Clusters - Get Gateway Settings (Microsoft.HDInsight 2021-06-01): POST .../getGatewaySettings
  # answers {"restAuthCredential.isEnabled", "restAuthCredential.username", "restAuthCredential.password"}.
  arm=$(az cloud show --query endpoints.resourceManager --output tsv)
  sub=$(az account show --query id --output tsv)
  password=$(az rest --method post \
      --url "${arm%/}/subscriptions/$sub/resourceGroups/$rg/providers/Microsoft.HDInsight/clusters/$cluster/getGatewaySettings?api-version=2021-06-01" \
      --query '"restAuthCredential.password"' --output tsv)
  [[ -n $password ]] || die "could not read the gateway password (need Contributor or HDInsight Cluster Operator)"
fi

# The password goes into the submitter's environment only, for this one process.
HDI_PASSWORD=$password exec "${submitter[@]}" "${livy_args[@]}" -- "${job_args[@]}"
