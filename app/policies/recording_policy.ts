import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/*
 * Every member may list prompts and get a playback URL (they hear them in IVRs anyway);
 * only owners and PBX admins add, change or remove them. OPBX served these files with no
 * check at all; here every file access goes through `view` and a signed URL.
 */
export default class RecordingPolicy extends PbxResourcePolicy {}
