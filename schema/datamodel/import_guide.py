#!/usr/bin/env python3
"""Builds schema/datamodel/phone-params.tsv from the provisioning guide's text.

The guide's "XML Open Format Sample" was extracted from a PDF and many tag names are damaged
(spaces instead of underscores, broken closing tags, OCR typos). This script restores the real
flat-profile names, groups numbered instances into templates, assigns data types, defaults,
user access, the secret flag and the TR-069 path, and appends the parameters that the guide
names only in its tables and text. The rules live here; the TSV is the reviewed output that
the library embeds. Run:  python3 schema/datamodel/import_guide.py GUIDE.txt > phone-params.tsv
"""
import re
import sys
from collections import OrderedDict, defaultdict

VENDOR = "Device.X_TR069PHONE_Phone."
VS = "Device.Services.VoiceService.1."

SAMPLE_START = "XML Open Format Sample\n\n```"

# Instance families: regex over the restored name (without trailing '_') -> (template, range).
# {i} marks the instance.
FAMILIES = [
    (r"^Unit_1_Key_(\d+)$", "Unit_1_Key_{i}_", "1-28", "AttendantConsole.Unit.1.Key.{i}.Function"),
    (r"^Speed_Dial_(\d+)_(Name|Number)$", None, "2-9", None),
    (r"^PSK_(\d+)$", "PSK_{i}", "1-16", "ProgrammableSoftkey.{i}.Definition"),
    (r"^Cadence_(\d+)$", "Cadence_{i}", "1-9", "DistinctiveRing.{i}.Cadence"),
    (r"^Ring(\d+)$", "Ring{i}", "1-12", "Ringtone.{i}.Definition"),
    (r"^Log_Missed_Calls_for_EXT_(\d+)$", "Log_Missed_Calls_for_EXT_{i}", "1-4",
     "Line.{i}.Log_Missed_Calls"),
]
WIFI = ["Network_Name", "Security_Mode", "Wi-Fi_User_ID", "Wi-Fi_Password", "WEP_Key",
        "PSK_Passphrase", "Frequency_Band", "Wi-Fi_Profile_Order"]
PER_KEY = ["Extension", "Short_Name", "Share_Call_Appearance", "Extended_Function"]
NO_TRAILING = {"LDAP_Search_Item_3", "LDAP_Search_Item_4"}

# OCR typos and parenthesised names the PDF lost.
RENAME = {
    "Rinq4": "Ring4",
    "ilBC_30ms_Dynamic_Payload": "iLBC_30ms_Dynamic_Payload",
    "avt_Dynamic_Payload": "AVT_Dynamic_Payload",
    "alternate_Proxy": "Alternate_Proxy",
    "Resync_At_HHmm": "Resync_At__HHmm_",
    "Set_Local_Date__mm_dd_yyyy": "Set_Local_Date__mm_dd_yyyy_",
    "Set_Local_Time_HH_mm": "Set_Local_Time__HH_mm_",
    "Time_Offset_HH_mm": "Time_Offset__HH_mm_",
    "Session_Timer_m": "Session_Timer_m_",
    "Countdown_Timer_s": "Countdown_Timer_s_",
    "Wi-Fi_User": "Wi-Fi_User_ID",
}

# Defaults stated in the guide's parameter tables (they win over the sample's example values).
# Where the table text is visibly truncated by the extraction, the sample's value is kept.
GUIDE_DEFAULTS = {
    "Resync_Random_Delay": "2", "Resync_At_Random_Delay": "600", "Resync_Periodic": "3600",
    "Forced_Resync_Delay": "14400", "Profile_Rule": "/$PSN.xml", "Profile_Rule_B": "",
    "Resync_At__HHmm_": "", "Resync_Trigger_1": "", "Resync_Trigger_2": "",
    "DHCP_Option_To_Use": "66,160,159,150,60,43,125", "Upgrade_Error_Retry_Delay": "3600",
    "Upgrade_Rule": "",
}
# Sample values that are example data (addresses, names of the writer's lab), not defaults.
EXAMPLE_DATA = {"Station_Name", "Station_Display_Name", "Proxy_{i}_", "User_ID_{i}_",
                "Auth_ID_{i}_", "Network_Name_{i}_", "Wi-Fi_User_ID_{i}_"}
# Sample values broken by the OCR, restored from the same sample's other lines / the guide.
FIXED_VALUES = {
    "Off_Hook_Warning_Tone": "480@-10,620@0;10(.125/.125/1+2)",
    "MWI_Dial_Tone": "350@-19,440@-19;2(.1/.1/1+2);10(*/0/1+2)",
    "Preferred_Password_Input_Mode": "Alphanumeric",
    "Time_Offset__HH_mm_": "",
    "Station_Name": "",
    "Holding_Tone": "600@-19;25(.1/.1/1,.1/.1/1,.1/9.5/1)",
}
# Per-instance sample differences that are example data or OCR noise, not per-instance defaults.
NO_INSTANCE_OVERRIDE = {"Register_Expires_{i}_", "Dial_Plan_{i}_", "Short_Name_{i}_"}
PER_INSTANCE_DEFAULT = {"Extension_{i}_": "{i}", "Wi-Fi_Profile_Order_{i}_": "{i}"}
OVERRIDES = []

SECRET_RE = re.compile(r"(^|_)(Password|Passphrase)(_|$)|^WEP_Key|^GPP_S|^IKM_")
NOT_SECRET = {"User_Password_Prompt", "Preferred_Password_Input_Mode"}

# Type by name (checked in order, on the template name), then by value.
TYPE_RULES = [
    (r"^Password_\{i\}_$|Password", "Str127"),
    (r"^WEP_Key", "Str64"), (r"^PSK_Passphrase", "Str64"),
    (r"^Dial_Plan_", "DialPlanScript"),
    (r"^(Profile_Rule|Upgrade_Rule|Custom_CA_Rule|Report_Rule|PRT_Upload_Rule)", "ProvisioningRuleSyntax"),
    (r"^Resync_Trigger_", "Str1024"),
    (r"^(Resync_Periodic|Resync_Error_Retry_Delay|Upgrade_Error_Retry_Delay)$", "DelayList"),
    (r"^Resync_At__HHmm_$", "HHmm"),
    (r"^Cadence_", "CadScript"),
    (r"(_Tone|^System_Beep)$", "ToneScript"),
    (r"_Code$", "StarCode"),
    (r"^(Static_IP|NetMask|Gateway|Primary_DNS|Secondary_DNS|EXT_IP)$", "IP"),
    (r"^(Try_Backup_RSC|Retry_Reg_RSC)$", "RscTmplt"),
    (r"^Emergency_Number_\{i\}_$", "PhTmplt"),
    (r"^Caller_ID_Map_\{i\}_$", "DialPlanScript"),  # <from:to> maps in dial plan syntax
    (r"^(Voice_Mail_Number|Cfwd_All_Dest|Cfwd_Busy_Dest|Cfwd_No_Ans_Dest|Speed_Dial_\{i\}_Number)$", "Phone"),
    (r"^(User_ID_\{i\}_|Auth_ID_\{i\}_|Shared_User_ID_\{i\}_|Mailbox_ID_\{i\}_)$", "UserID"),
    (r"^(Proxy_\{i\}_|Outbound_Proxy_\{i\}_|Alternate_Proxy_\{i\}_|Alternate_Outbound_Proxy_\{i\}_|"
     r"Primary_NTP_Server|Secondary_NTP_Server|STUN_Server|Syslog_Server|Debug_Server|"
     r"Peer_Firmware_Sharing_Log_Server|XMPP_Server|LDAP_Server|"
     r"Host_Name|Domain)$", "FQDN"),
    (r"(Port|Port_Min|Port_Max)$|Port_\{i\}_$", "Port"),
    (r"_Dynamic_Payload$", "Uns8"),
    (r"^(Hold_Reminder_Timer|PRT_Max_Timer)$", "Uns16"),
    (r"TOS_DiffServ_Value", "Uns8"),
    (r"^(SIP_T1|SIP_T2|SIP_T4|SIP_Timer_[A-Z])$", "Time3"),
    (r"^RTP_Packet_Size$", "Time3"),
    (r"^GPP_", "Str2048"),
    (r"^Log_.*Msg$", "Str512"),
    (r"Key_List$", "Str1024"),
    (r"(URL|URI|Rule|Script)(_\{i\}_)?$", "Str1024"),
    (r"^(Unit_1_Key_\{i\}_|PSK_\{i\}|Extended_Function_\{i\}_|Ring\{i\})$", "Str1024"),
]


def split_instance(name):
    """Returns (template, instance token, path-template, range) for a restored name."""
    for rx, tmpl, rng, path in FAMILIES:
        m = re.match(rx, name.rstrip("_"))
        if m:
            if tmpl is None:  # Speed dial: number in the middle
                return ("Speed_Dial_{i}_" + m.group(2), m.group(1), rng,
                        "SpeedDial.{i}." + m.group(2))
            return tmpl, m.group(1), rng, path
    for base in WIFI:
        m = re.match("^" + re.escape(base) + r"_(\d)_?$", name)
        if m:
            return base + "_{i}_", m.group(1), "1-4", "WiFiProfile.{i}." + base
    for base in PER_KEY:
        m = re.match("^" + re.escape(base) + r"_(\d)_?$", name)
        if m:
            return base + "_{i}_", m.group(1), "1-4", "LineKey.{i}." + base
    m = re.match(r"^GPP_([A-P])$", name)
    if m:
        return "GPP_{i}", m.group(1), "A-P", "GPP.{i}.Value"
    if name.rstrip("_") in NO_TRAILING:
        return name.rstrip("_"), None, None, None
    m = re.match(r"^(.*?)_(\d)_?$", name)
    if m and m.group(1) not in ("Resync_Trigger", "LDAP_Search_Item", "LDAP_Item"):
        base = m.group(1)
        return base + "_{i}_", m.group(2), "1-4", "Line.{i}." + base
    return name, None, None, None


def restore(raw):
    name = re.sub(r"\s+", "_", raw.strip())
    name = name.rstrip("_")
    name = re.sub(r"^alternate_", "Alternate_", name)
    return RENAME.get(name, name)


def extract_sample(text):
    start = text.index(SAMPLE_START)
    end = text.index("</flat-profile>", start)
    body = text[start:end]
    elem = re.compile(r'<\s*(?:a href=")?([A-Za-z][A-Za-z0-9 _.\-]*?)(?:</pre>)?\s+ua="(na|ro|rw)"\s*(/?)>')
    matches = list(elem.finditer(body))
    out = []
    for k, m in enumerate(matches):
        nxt = matches[k + 1].start() if k + 1 < len(matches) else len(body)
        tail = body[m.end():nxt]
        value = ""
        if not m.group(3):
            v = tail.split("<", 1)[0]
            lines = [l.strip() for l in v.split("\n") if l.strip()]
            value = lines[0] if lines else ""
            first = restore(m.group(1)).split("_")[0]
            cut = re.search(r"/\s*" + re.escape(first) + r"(?:[\s_>]|$)", value, re.I)
            if cut and first:
                value = value[:cut.start()]
            if value.startswith("available options") or value.startswith("```") or value == "-->":
                value = ""
        opts = None
        om = re.search(r"available options:\s*([^\n]*?)\s*(?:-->|\\rightarrow|\n)", tail)
        if om and "|" in om.group(1):
            opts = [o.strip() for o in om.group(1).split("|") if o.strip()]
        # a trailing space before '>' in any tag of this element marks a trailing '_'
        closing = re.search(r"</\s*[^>]*?\s>", tail.split("\n<", 1)[0])
        trailing = bool(closing) or m.group(1).rstrip().endswith("_")
        out.append((m.group(1), m.group(2), value.strip(), opts, trailing))
    return out


# Types the sample's option lists do not capture fully.
TYPE_OVERRIDE = {
    # The sample lists syslog level names; the text sets "a value between 0 and 3".
    "Debug_Level": "{EMERGENCY,ALERT,CRITICAL,ERROR,WARNING,NOTICE,INFO,DEBUG,0,1,2,3}",
}


def pick_type(tname, default, opts):
    if tname in TYPE_OVERRIDE:
        return TYPE_OVERRIDE[tname]
    if opts:
        vals = opts
        sep = "|" if any("," in o for o in vals) else ","
        return "{" + sep.join(vals) + "}"
    if default.lower() in ("yes", "no") and "Password" not in tname:
        return "Bool"
    for rx, ty in TYPE_RULES:
        if re.search(rx, tname):
            return ty
    if default.lower() in ("yes", "no"):
        return "Bool"
    if re.fullmatch(r"\d+", default):
        return "Uns16" if int(default) < 65536 and not re.search(r"Expires|Interval|Intvl|Period|Upload|Delay|Timer", tname) else "Uns32"
    if re.fullmatch(r"0x[0-9a-fA-F]+", default):
        return "Uns8"
    return "Str255" if not re.search(r"Name|ID", tname) else "Str127"


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


STANDARD = {
    "ACS_URL": "Device.ManagementServer.URL",
    "ACS_Username": "Device.ManagementServer.Username",
    "ACS_Password": "Device.ManagementServer.Password",
    "Connection_Request_Username": "Device.ManagementServer.ConnectionRequestUsername",
    "Connection_Request_Password": "Device.ManagementServer.ConnectionRequestPassword",
    "Periodic_Inform_Enable": "Device.ManagementServer.PeriodicInformEnable",
    "Periodic_Inform_Interval": "Device.ManagementServer.PeriodicInformInterval",
    "Enable_TR-069": "Device.ManagementServer.EnableCWMP",
    "Host_Name": "Device.DeviceInfo.HostName",
    "Primary_NTP_Server": "Device.Time.NTPServer1",
    "Secondary_NTP_Server": "Device.Time.NTPServer2",
    "Static_IP": "Device.IP.Interface.1.IPv4Address.1.IPAddress",
    "NetMask": "Device.IP.Interface.1.IPv4Address.1.SubnetMask",
    "Gateway": "Device.Routing.Router.1.IPv4Forwarding.1.GatewayIPAddress",
    "Primary_DNS": "Device.DNS.Client.Server.1.DNSServer",
    "Secondary_DNS": "Device.DNS.Client.Server.2.DNSServer",
    "Network_Name_{i}_": "Device.WiFi.EndPoint.1.Profile.{i}.SSID",
    "Wi-Fi_Profile_Order_{i}_": "Device.WiFi.EndPoint.1.Profile.{i}.Priority",
    "PSK_Passphrase_{i}_": "Device.WiFi.EndPoint.1.Profile.{i}.Security.KeyPassphrase",
    "WEP_Key_{i}_": "Device.WiFi.EndPoint.1.Profile.{i}.Security.WEPKey",
    "RTP_Port_Min": VS + "VoIPProfile.1.RTP.LocalPortMin",
    "RTP_Port_Max": VS + "VoIPProfile.1.RTP.LocalPortMax",
    "Line_Enable_{i}_": VS + "CallControl.Line.{i}.Enable",
    "User_ID_{i}_": VS + "CallControl.Line.{i}.DirectoryNumber",
    "Auth_ID_{i}_": VS + "SIP.Client.{i}.AuthUserName",
    "Password_{i}_": VS + "SIP.Client.{i}.AuthPassword",
    "Proxy_{i}_": VS + "SIP.Network.{i}.ProxyServer",
    "Outbound_Proxy_{i}_": VS + "SIP.Network.{i}.OutboundProxy",
    "Register_Expires_{i}_": VS + "SIP.Network.{i}.RegisterExpires",
    "SIP_Port_{i}_": VS + "SIP.Network.{i}.UserAgentPort",
}

# Parameters the guide names in its tables and text but not in the XML sample:
# (after-which-template, name, type, default, ua, range, vendor path).
EXTRA = [
    ("Resync_Fails_On_FNF", "Profile_Authentication_Type", None, None, None, None, None),
    ("Profile_Rule_D", "DHCPv6_Option_To_Use", None, None, None, None, None),
    ("Upgrade_Rule", "Downgrade_Rev_Limit", "Str64", "", "na", None, "Downgrade_Rev_Limit"),
    ("Profile_Rule_D", "IKM_HTTP_Encrypt_Content", "Str255", "", "na", None, "IKM_HTTP_Encrypt_Content"),
    ("Syslog_Server", "Debug_Server", "FQDN", "", "na", None, "Debug_Server"),
    ("GPP_{i}", "GPP_S{i}", "Str2048", "", "na", "A-D", "GPP.S{i}.Value"),
]


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    rows = OrderedDict()  # template -> dict
    values = defaultdict(dict)
    trailing_seen = defaultdict(bool)
    for raw, ua, value, opts, trailing in extract_sample(text):
        name = restore(raw)
        tmpl, inst, rng, vpath = split_instance(name)
        if inst is not None and tmpl.endswith("_{i}_"):
            pass
        values[tmpl][inst] = value
        trailing_seen[tmpl] |= trailing
        if tmpl not in rows:
            rows[tmpl] = dict(name=tmpl, ua=ua, opts=opts, range=rng, vpath=vpath)
        elif opts and not rows[tmpl]["opts"]:
            rows[tmpl]["opts"] = opts
    out = []
    instance_overrides = []
    for tmpl, r in rows.items():
        vals = values[tmpl]
        if r["range"] is None:
            default = next(iter(vals.values()))
        else:
            counts = defaultdict(int)
            for v in vals.values():
                counts[v] += 1
            first = vals.get("1", vals.get("A", next(iter(vals.values()))))
            default = max(counts, key=lambda v: (counts[v], v == first))
        default = GUIDE_DEFAULTS.get(tmpl, default)
        default = FIXED_VALUES.get(tmpl, default)
        default = PER_INSTANCE_DEFAULT.get(tmpl, default)
        if tmpl in EXAMPLE_DATA:
            default = ""
        secret = bool(SECRET_RE.search(tmpl)) and tmpl not in NOT_SECRET
        if secret:
            default = ""
        ty = pick_type(tmpl, default, r["opts"])
        path = STANDARD.get(tmpl)
        if path is None:
            vp = r["vpath"] or tmpl
            path = VENDOR + vp.replace(".", ".").replace("G722.2", "G722_2").replace("802.1X", "802_1X").replace("V1.2", "V1_2")
        out.append([tmpl, ty, default, r["ua"], "secret" if secret else "-", path, r["range"] or "-"])
        if r["range"] and not secret and tmpl not in EXAMPLE_DATA and tmpl not in PER_INSTANCE_DEFAULT \
                and tmpl not in NO_INSTANCE_OVERRIDE:
            for inst, v in vals.items():
                v = FIXED_VALUES.get(tmpl.replace("{i}", inst), v)
                if v != default:
                    instance_overrides.append((tmpl.replace("{i}", inst), v))
    # extras
    for after, name, ty, default, ua, rng, vpath in EXTRA:
        if ty is None:
            continue
        idx = next(i for i, o in enumerate(out) if o[0] == after)
        secret = bool(SECRET_RE.search(name))
        out.insert(idx + 1, [name, ty, default, ua, "secret" if secret else "-",
                             VENDOR + vpath, rng or "-"])
    print("# Phone parameter catalog. Format: docs/catalog.md. Bootstrapped from the guide by")
    print("# schema/datamodel/import_guide.py; reviewed and edited by hand since.")
    print("# name\ttype\tdefault\taccess\tflags\ttr069_path\tinstances")
    for o in out:
        print("\t".join([o[0], o[1], esc(o[2]), o[3], o[4], o[5], o[6]]))
    for name, val in instance_overrides + OVERRIDES:
        print("=" + name + "\t" + esc(val))


if __name__ == "__main__":
    main()
