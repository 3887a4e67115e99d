#!/usr/bin/env bash
# Creates, describes and deletes tilespark's HDInsight 5.1 Spark cluster with the az CLI.
# See azure-hdinsight/README.md for the walk-through.
#
# Secrets: the cluster login password and the SSH password come from the environment
# (HDI_PASSWORD, HDI_SSH_PASSWORD) or are asked for with `read -s`. They reach az through a pipe
# (`--parameters @-`: az reads an @-prefixed argument's content from the named file, '-' meaning
# stdin), never through argv, where any user could read them in `ps`, and never through a file.
set -euo pipefail

# Empty arrays under `set -u`, mapfile and printf -v need bash 4.4+ (macOS: brew install bash).
if (( BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4) )); then
  echo "${0##*/}: needs bash 4.4 or newer, this is $BASH_VERSION" >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
template="$here/azuredeploy.json"
deployment_name="tilespark-hdinsight"

usage() {
  cat <<'EOF'
Usage:
  azure-hdinsight/deploy.sh create   -g RESOURCE_GROUP -l LOCATION -n CLUSTER [options]
  azure-hdinsight/deploy.sh urls     -g RESOURCE_GROUP
  azure-hdinsight/deploy.sh teardown -g RESOURCE_GROUP [--cluster-only -n CLUSTER] [--yes]

create: makes the resource group (if needed) and deploys azuredeploy.json into it:
  an ADLS Gen2 account (containers cluster, input, output), a managed identity that owns its
  blob data, and the Spark cluster. Takes about 20 minutes. Options:
    -n, --cluster NAME          cluster name = DNS name NAME.azurehdinsight.net (required)
    --storage-account NAME      ADLS Gen2 account (default: derived from the resource group)
    --workers N                 worker nodes (default 3)
    --worker-size SIZE          default Standard_E8_v3
    --head-size SIZE            default Standard_E4_v3
    --autoscale MODE            none (default), load, or schedule
    --min-workers N --max-workers N                 load-based bounds (default 3 and 10)
    --night HH:MM-HH:MM         schedule window (default 22:00-06:00)
    --night-workers N --day-workers N               schedule sizes (default 8 and 2)
    --time-zone TZ              schedule time zone, a Windows id (default UTC)
    --ssh-public-key FILE       SSH public key for sshuser (default: ~/.ssh/id_ed25519.pub or
                                ~/.ssh/id_rsa.pub if present; otherwise an SSH password is used)
    --no-uploader-role          do not grant you Storage Blob Data Contributor on the account
urls:     prints the cluster URLs and storage names of the last deployment.
teardown: deletes the whole resource group (cluster, storage with all images and results,
          identity). With --cluster-only -n CLUSTER it deletes only the cluster and keeps the
          storage: the cheap state to leave things in between runs.

Secrets are never taken as arguments:
  HDI_PASSWORD       cluster login password (asked for if unset)
  HDI_SSH_PASSWORD   SSH password, only when no public key is used (asked for if unset)
  HDI_USER           cluster login name (default admin)
EOF
}

die_usage() {
  echo "deploy.sh: $*" >&2
  echo "Run 'azure-hdinsight/deploy.sh --help' for usage." >&2
  exit 2
}

die() {
  echo "deploy.sh: $*" >&2
  exit 1
}

need_az() {
  command -v az >/dev/null 2>&1 || die "the az CLI is not installed (https://learn.microsoft.com/cli/azure/install-azure-cli)"
  az account show --output none 2>/dev/null || die "not logged in to Azure: run 'az login' first"
}

# JSON string literal of $1, built with bash builtins only so the value never becomes an argument
# of another process.
json_string() {
  local s=$1
  if [[ $s == *[[:cntrl:]]* ]]; then
    echo "deploy.sh: a secret contains a control character; please choose another" >&2
    return 1
  fi
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# read_secret VAR PROMPT: keeps $VAR from the environment, else asks twice without echo.
read_secret() {
  local var=$1 prompt=$2 value again
  value=${!var:-}
  if [[ -z $value ]]; then
    [[ -t 0 ]] || die_usage "$var is not set and there is no terminal to ask on"
    read -r -s -p "$prompt: " value
    echo >&2
    read -r -s -p "$prompt (again): " again
    echo >&2
    [[ $value == "$again" ]] || die_usage "the two entries differ"
  fi
  printf -v "$var" '%s' "$value"
}

# HDInsight's rule for both the cluster login and SSH passwords: at least 10 characters, with a
# digit, an upper-case and a lower-case letter and a non-alphanumeric character. Checked here so
# that a weak password fails in a second, not twenty minutes into a deployment.
check_password() {
  local what=$1 pw=$2
  if (( ${#pw} < 10 )) || [[ ! $pw =~ [0-9] ]] || [[ ! $pw =~ [A-Z] ]] || [[ ! $pw =~ [a-z] ]] \
      || [[ ! $pw =~ [^A-Za-z0-9] ]]; then
    die_usage "$what must be 10+ characters with a digit, an upper- and a lower-case letter and a symbol"
  fi
}

need_value() { # option value
  [[ $# -ge 2 && -n $2 ]] || die_usage "$1 needs a value"
}

need_int() { # option value
  [[ $2 =~ ^[1-9][0-9]*$ ]] || die_usage "$1 takes a positive whole number, got '$2'"
}

cmd_create() {
  local rg="" location="" cluster="" storage="" workers=3 worker_size="Standard_E8_v3"
  local head_size="Standard_E4_v3" autoscale="none" min_workers=3 max_workers=10
  local night_start="22:00" night_end="06:00" night_workers=8 day_workers=2 tz="UTC"
  local ssh_key_file="" uploader_role=1
  while [[ $# -gt 0 ]]; do
    case $1 in
      -g|--resource-group) need_value "$@"; rg=$2; shift 2 ;;
      -l|--location) need_value "$@"; location=$2; shift 2 ;;
      -n|--cluster) need_value "$@"; cluster=$2; shift 2 ;;
      --storage-account) need_value "$@"; storage=$2; shift 2 ;;
      --workers) need_value "$@"; need_int "$1" "$2"; workers=$2; shift 2 ;;
      --worker-size) need_value "$@"; worker_size=$2; shift 2 ;;
      --head-size) need_value "$@"; head_size=$2; shift 2 ;;
      --autoscale) need_value "$@"; autoscale=$2; shift 2 ;;
      --min-workers) need_value "$@"; need_int "$1" "$2"; min_workers=$2; shift 2 ;;
      --max-workers) need_value "$@"; need_int "$1" "$2"; max_workers=$2; shift 2 ;;
      --night)
        need_value "$@"
        [[ $2 =~ ^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$ ]] \
          || die_usage "--night takes HH:MM-HH:MM, got '$2'"
        night_start=${2%-*}; night_end=${2#*-}; shift 2 ;;
      --night-workers) need_value "$@"; need_int "$1" "$2"; night_workers=$2; shift 2 ;;
      --day-workers) need_value "$@"; need_int "$1" "$2"; day_workers=$2; shift 2 ;;
      --time-zone) need_value "$@"; tz=$2; shift 2 ;;
      --ssh-public-key) need_value "$@"; ssh_key_file=$2; shift 2 ;;
      --no-uploader-role) uploader_role=0; shift ;;
      *password*|*secret*) die_usage "secrets are not taken as arguments; set HDI_PASSWORD / HDI_SSH_PASSWORD" ;;
      -h|--help) usage; exit 0 ;;
      *) die_usage "unknown option for create: $1" ;;
    esac
  done
  [[ -n $rg ]] || die_usage "create needs -g RESOURCE_GROUP"
  [[ -n $location ]] || die_usage "create needs -l LOCATION (e.g. westeurope)"
  [[ -n $cluster ]] || die_usage "create needs -n CLUSTER"
  [[ $cluster =~ ^[a-z][a-z0-9-]{2,58}$ ]] \
    || die_usage "cluster name must be 3-59 lowercase letters, digits or '-', starting with a letter"
  [[ -z $storage || $storage =~ ^[a-z0-9]{3,24}$ ]] \
    || die_usage "storage account name must be 3-24 lowercase letters and digits"
  case $autoscale in none|load|schedule) ;; *) die_usage "--autoscale is none, load or schedule" ;; esac
  if [[ $autoscale == load ]] && (( min_workers > max_workers )); then
    die_usage "--min-workers ($min_workers) is above --max-workers ($max_workers)"
  fi

  local ssh_type ssh_secret
  if [[ -z $ssh_key_file ]]; then
    for f in "$HOME/.ssh/id_ed25519.pub" "$HOME/.ssh/id_rsa.pub"; do
      if [[ -r $f ]]; then ssh_key_file=$f; break; fi
    done
  fi
  if [[ -n $ssh_key_file ]]; then
    [[ -r $ssh_key_file ]] || die_usage "cannot read $ssh_key_file"
    [[ $ssh_key_file == *.pub ]] || die_usage "$ssh_key_file is not a .pub file; give the public key, never the private one"
    ssh_type=publicKey
    ssh_secret=$(<"$ssh_key_file")
  else
    ssh_type=password
    read_secret HDI_SSH_PASSWORD "SSH password for sshuser"
    check_password "the SSH password" "$HDI_SSH_PASSWORD"
    ssh_secret=$HDI_SSH_PASSWORD
  fi
  read_secret HDI_PASSWORD "Cluster login password (Ambari, Livy, Spark UI)"
  check_password "the cluster login password" "$HDI_PASSWORD"
  [[ $ssh_type != password || $ssh_secret != "$HDI_PASSWORD" ]] \
    || die_usage "use different passwords for SSH and the cluster login"

  need_az

  local -a params=(
    "clusterName=$cluster"
    "clusterLoginUserName=${HDI_USER:-admin}"
    "sshAuthenticationType=$ssh_type"
    "workerNodeCount=$workers"
    "workerNodeSize=$worker_size"
    "headNodeSize=$head_size"
    "autoscaleMode=$autoscale"
    "autoscaleMinWorkers=$min_workers"
    "autoscaleMaxWorkers=$max_workers"
    "autoscaleTimeZone=$tz"
    "nightStartTime=$night_start"
    "nightEndTime=$night_end"
    "nightWorkerCount=$night_workers"
    "dayWorkerCount=$day_workers"
  )
  [[ -z $storage ]] || params+=("storageAccountName=$storage")
  if (( uploader_role )); then
    local me
    # The signed-in user's object id, so that `az storage fs file upload --auth-mode login` works.
    # A service principal login has no signed-in user; it then gets no role (give it one yourself).
    if me=$(az ad signed-in-user show --query id --output tsv 2>/dev/null) && [[ -n $me ]]; then
      params+=("uploaderPrincipalId=$me" "uploaderPrincipalType=User")
    else
      echo "deploy.sh: could not read your user id; not granting upload rights (see README)" >&2
    fi
  fi

  echo "Creating resource group $rg in $location ..."
  az group create --name "$rg" --location "$location" --output none

  local secure_json pw_json key_json
  pw_json=$(json_string "$HDI_PASSWORD")
  key_json=$(json_string "$ssh_secret")
  secure_json="{\"clusterLoginPassword\":{\"value\":$pw_json},\"sshPasswordOrKey\":{\"value\":$key_json}}"

  echo "Deploying $deployment_name (about 20 minutes) ..."
  # printf is a bash builtin: the JSON with the secrets goes down the pipe, not into any argv.
  printf '%s' "$secure_json" | az deployment group create \
      --resource-group "$rg" \
      --name "$deployment_name" \
      --template-file "$template" \
      --parameters "${params[@]}" \
      --parameters @- \
      --output none
  unset secure_json pw_json key_json ssh_secret
  print_urls "$rg"
}

print_urls() {
  local rg=$1 outputs
  outputs=$(az deployment group show --resource-group "$rg" --name "$deployment_name" \
      --query "[properties.outputs.clusterName.value, properties.outputs.storageAccountName.value, properties.outputs.ambariUrl.value, properties.outputs.livyUrl.value, properties.outputs.sparkHistoryUrl.value, properties.outputs.yarnUrl.value, properties.outputs.sshHost.value, properties.outputs.inputUri.value, properties.outputs.outputUri.value]" \
      --output tsv)
  local cluster storage ambari livy history yarn ssh_host input output
  IFS=$'\t' read -r cluster storage ambari livy history yarn ssh_host input output <<<"$(tr '\n' '\t' <<<"$outputs")"
  cat <<EOF

Cluster          $cluster
Ambari           $ambari
Livy             $livy
Spark History    $history
YARN             $yarn
SSH              ssh sshuser@$ssh_host
Storage account  $storage
Input            $input
Output           $output

Next:  export HDI_CLUSTER=$cluster HDI_RESOURCE_GROUP=$rg HDI_STORAGE_ACCOUNT=$storage
       submit/hdinsight.sh livy -- <job arguments>
EOF
}

cmd_urls() {
  local rg=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      -g|--resource-group) need_value "$@"; rg=$2; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) die_usage "unknown option for urls: $1" ;;
    esac
  done
  [[ -n $rg ]] || die_usage "urls needs -g RESOURCE_GROUP"
  need_az
  print_urls "$rg"
}

cmd_teardown() {
  local rg="" cluster="" cluster_only=0 yes=0
  while [[ $# -gt 0 ]]; do
    case $1 in
      -g|--resource-group) need_value "$@"; rg=$2; shift 2 ;;
      -n|--cluster) need_value "$@"; cluster=$2; shift 2 ;;
      --cluster-only) cluster_only=1; shift ;;
      --yes) yes=1; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die_usage "unknown option for teardown: $1" ;;
    esac
  done
  [[ -n $rg ]] || die_usage "teardown needs -g RESOURCE_GROUP"
  if (( cluster_only )); then
    [[ -n $cluster ]] || die_usage "--cluster-only needs -n CLUSTER"
    need_az
    echo "Deleting cluster $cluster (storage, images and results stay) ..."
    az hdinsight delete --name "$cluster" --resource-group "$rg" --yes
    echo "Done. Recreate it later with: azure-hdinsight/deploy.sh create -g $rg -l LOCATION -n $cluster"
    return
  fi
  need_az
  if (( ! yes )); then
    [[ -t 0 ]] || die_usage "teardown deletes everything in $rg; pass --yes when there is no terminal"
    echo "This deletes resource group $rg: the cluster AND the storage account with every image and result."
    local answer
    read -r -p "Type the resource group name to confirm: " answer
    [[ $answer == "$rg" ]] || die "not confirmed; nothing deleted"
  fi
  echo "Deleting resource group $rg (runs on in Azure; check with: az group show -n $rg) ..."
  az group delete --name "$rg" --yes --no-wait
}

main() {
  [[ $# -gt 0 ]] || { usage >&2; exit 2; }
  local cmd=$1
  shift
  case $cmd in
    create) cmd_create "$@" ;;
    urls) cmd_urls "$@" ;;
    teardown) cmd_teardown "$@" ;;
    -h|--help|help) usage ;;
    *) die_usage "unknown command '$cmd'" ;;
  esac
}

main "$@"
