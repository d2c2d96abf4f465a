package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// state is everything the emulator remembers; it is serialised as JSON to StateFile.
type state struct {
	Tokens       map[string]*token `json:"tokens"`
	Functions    []*function       `json:"functions"` // creation order
	Dependencies []*dependency     `json:"dependencies"`
	LTSEnabled   bool              `json:"lts_enabled"`
}

func newState() *state {
	return &state{Tokens: map[string]*token{}}
}

type function struct {
	ID       string           `json:"id"` // internal UUID (resource_id of the tag APIs)
	Package  string           `json:"package"`
	Name     string           `json:"name"`
	Head     *funcVersion     `json:"head"`
	Versions []*funcVersion   `json:"versions"` // published, oldest first
	Aliases  []*alias         `json:"aliases"`
	Triggers []*trigger       `json:"triggers"`
	Tags     []kvItem         `json:"tags"`
	Events   []*testEvent     `json:"events"`
	Async    []*asyncConfig   `json:"async"`
	Reserved []*reservedEntry `json:"reserved"`
	Tracing  *tracing         `json:"tracing,omitempty"`
	// PublishedFingerprint is the fingerprint of the head at the last publication (FSS.1016).
	PublishedFingerprint string `json:"published_fingerprint,omitempty"`
}

// funcVersion is one version of a function: the head ("latest") or a published one.
type funcVersion struct {
	Version            string     `json:"version"`
	Conf               funcConfig `json:"conf"`
	Code               funcCode   `json:"code"`
	LastModified       time.Time  `json:"last_modified"`
	ImageName          string     `json:"image_name"`
	VersionDescription string     `json:"version_description"`
}

type funcCode struct {
	CodeType          string   `json:"code_type"`
	CodeURL           string   `json:"code_url"`
	CodeFilename      string   `json:"code_filename"`
	Package           []byte   `json:"package"` // the stored package; digest and code_size derive from it
	DependList        []string `json:"depend_list"`
	DependVersionList []string `json:"depend_version_list"`
}

type funcConfig struct {
	Runtime             string          `json:"runtime"`
	Timeout             int             `json:"timeout"`
	Handler             string          `json:"handler"`
	MemorySize          int             `json:"memory_size"`
	GPUMemory           int             `json:"gpu_memory,omitempty"`
	UserData            string          `json:"user_data"`
	EncryptedUserData   string          `json:"encrypted_user_data"`
	Xrole               string          `json:"xrole"`
	AppXrole            string          `json:"app_xrole"`
	Description         string          `json:"description"`
	FuncVpc             *funcVpc        `json:"func_vpc,omitempty"`
	MountConfig         *mountConfig    `json:"mount_config,omitempty"`
	Strategy            strategyConfig  `json:"strategy_config"`
	CustomImage         *customImage    `json:"custom_image,omitempty"`
	ExtendConfig        string          `json:"extend_config"`
	InitializerHandler  string          `json:"initializer_handler"`
	InitializerTimeout  int             `json:"initializer_timeout"`
	EnterpriseProjectID string          `json:"enterprise_project_id"`
	Type                string          `json:"type"`
	LogConfig           *logConfig      `json:"log_config,omitempty"`
	NetworkController   json.RawMessage `json:"network_controller,omitempty"`
	EphemeralStorage    int             `json:"ephemeral_storage"`
	IsStateful          bool            `json:"is_stateful_function"`
	EnableDynamicMemory bool            `json:"enable_dynamic_memory"`
	EnableAuthInHeader  bool            `json:"enable_auth_in_header"`
	DomainNames         string          `json:"domain_names"`
	RestoreHookHandler  string          `json:"restore_hook_handler"`
	RestoreHookTimeout  int             `json:"restore_hook_timeout"`
}

type funcVpc struct {
	VpcName        string   `json:"vpc_name"`
	VpcID          string   `json:"vpc_id"`
	SubnetName     string   `json:"subnet_name"`
	SubnetID       string   `json:"subnet_id"`
	Cidr           string   `json:"cidr"`
	Gateway        string   `json:"gateway"`
	SecurityGroups []string `json:"security_groups,omitempty"`
}

type mountConfig struct {
	MountUser  *mountUser  `json:"mount_user"`
	FuncMounts []funcMount `json:"func_mounts"`
}

// mountUser keeps the IDs as the raw JSON the client sent: the tables type them as
// String, the SDK sends integers (OTC's Go SDK types them as integers); we echo back what we got.
type mountUser struct {
	UserID      json.RawMessage `json:"user_id"`
	UserGroupID json.RawMessage `json:"user_group_id"`
}

type funcMount struct {
	MountType      string `json:"mount_type"`
	MountResource  string `json:"mount_resource"`
	MountSharePath string `json:"mount_share_path,omitempty"`
	LocalMountPath string `json:"local_mount_path"`
	Status         string `json:"status,omitempty"`
}

type strategyConfig struct {
	Concurrency   int  `json:"concurrency"`
	ConcurrentNum *int `json:"concurrent_num,omitempty"`
}

type customImage struct {
	Enabled    bool   `json:"enabled"`
	Image      string `json:"image"`
	Command    string `json:"command,omitempty"`
	Args       string `json:"args,omitempty"`
	WorkingDir string `json:"working_dir,omitempty"`
	UID        string `json:"uid,omitempty"`
	GID        string `json:"gid,omitempty"`
}

type logConfig struct {
	GroupName  string `json:"group_name,omitempty"`
	GroupID    string `json:"group_id,omitempty"`
	StreamName string `json:"stream_name,omitempty"`
	StreamID   string `json:"stream_id,omitempty"`
}

type alias struct {
	Name         string         `json:"name"`
	Version      string         `json:"version"`
	Description  string         `json:"description"`
	Weights      map[string]int `json:"additional_version_weights,omitempty"`
	LastModified time.Time      `json:"last_modified"`
}

type trigger struct {
	ID            string         `json:"trigger_id"`
	Qualifier     string         `json:"qualifier"` // "latest", a version or "!alias"
	TypeCode      string         `json:"trigger_type_code"`
	EventTypeCode string         `json:"event_type_code"`
	Status        string         `json:"trigger_status"`
	EventData     map[string]any `json:"event_data"`
	Created       time.Time      `json:"created_time"`
	Updated       time.Time      `json:"last_updated_time"`
}

type kvItem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type testEvent struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Content      string    `json:"content"`
	LastModified time.Time `json:"last_modified"`
}

type asyncConfig struct {
	Qualifier      string          `json:"qualifier"`
	MaxAge         int             `json:"max_async_event_age_in_seconds"`
	MaxRetry       int             `json:"max_async_retry_attempts"`
	Destination    json.RawMessage `json:"destination_config,omitempty"`
	EnableAsyncLog *bool           `json:"enable_async_status_log,omitempty"`
	Created        time.Time       `json:"created_time"`
	LastModified   time.Time       `json:"last_modified"`
}

type reservedEntry struct {
	Qualifier     string          `json:"qualifier"` // version name or "!alias"
	Count         int             `json:"count"`
	IdleMode      bool            `json:"idle_mode"`
	TacticsConfig json.RawMessage `json:"tactics_config,omitempty"`
}

type tracing struct {
	AK string `json:"tracing_ak"`
	SK string `json:"tracing_sk"`
}

type dependency struct {
	ID          string        `json:"id"` // dep_id
	Name        string        `json:"name"`
	Owner       string        `json:"owner"`
	Runtime     string        `json:"runtime"`
	Description string        `json:"description"`
	Versions    []*depVersion `json:"versions"`
	NextVersion int           `json:"next_version"`
}

type depVersion struct {
	ID           string    `json:"id"`
	Version      int       `json:"version"`
	Runtime      string    `json:"runtime"`
	Description  string    `json:"description"`
	Link         string    `json:"link"`
	Etag         string    `json:"etag"`
	Size         int64     `json:"size"`
	FileName     string    `json:"file_name"`
	LastModified time.Time `json:"last_modified"`
}

// loadState reads a state file; a missing or empty file gives (nil, nil).
func loadState(path string) (*state, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(b) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state file: %w", err)
	}
	st := newState()
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("parse state file %s: %w", path, err)
	}
	if st.Tokens == nil {
		st.Tokens = map[string]*token{}
	}
	return st, nil
}

// persistLocked writes the state atomically (temp file in the same directory, fsync, rename).
// Callers hold e.mu. Errors are logged, not returned: the in-memory state stays authoritative.
func (e *Emulator) persistLocked() {
	if e.cfg.StateFile == "" {
		return
	}
	if err := writeAtomic(e.cfg.StateFile, e.st); err != nil && e.cfg.Logger != nil {
		e.cfg.Logger.Printf("persist state: %v", err)
	}
}

func writeAtomic(path string, st *state) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".fgs-emulator-state-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
