// soapcpp2 interface for the CWMP (TR-069) message layer, written by hand for this project.
//
// It declares the SOAP 1.1 header, the cwmp:Fault detail and every RPC element of CWMP 1.0-1.4
// that the codec reads and writes. The build runs
//   soapcpp2 -1 -x -w -L -c++11 -I/usr/share/gsoap/import schema/soap/cwmp.h
// (see shared/cmake/soap.cmake); nothing generated is committed. Only shared/src/soap/*.cpp
// sees the generated types: the public API is cwmp/soap/messages.h.
//
// Conventions (see docs/cwmp-codec.md):
// - one binding for every namespace version: the schema namespace is the 1.2 URN and the
//   namespace table accepts urn:dslforum-org:cwmp-1-* on input;
// - child elements are unqualified, as in the official schemas (elementFormDefault);
// - SOAP-encoded arrays are std::vector plus an explicit soapenc:arrayType attribute, so the
//   count in arrayType is never trusted on input and is computed by the codec on output;
// - ParameterValueStruct/Value keeps its xsi:type ({__item, @xsi__type});
// - dateTime values are strings: the codec checks and normalises them itself.

//gsoap cwmp schema namespace: urn:dslforum-org:cwmp-1-2
//gsoap cwmp schema namespace2: urn:dslforum-org:cwmp-1-*
//gsoap cwmp schema form: unqualified

#import "stl.h"

typedef std::string xsd__QName;

// ---- simple content with xsi:type --------------------------------------------------------
class cwmp__AnySimple {
 public:
  std::string __item;
  @xsd__QName* xsi__type;
};

// ---- structures ----------------------------------------------------------------------------
class cwmp__ParameterNames {
 public:
  std::vector<std::string> string;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__ParameterValueStruct {
 public:
  std::string Name;
  cwmp__AnySimple Value;
};

class cwmp__ParameterValueList {
 public:
  std::vector<cwmp__ParameterValueStruct> ParameterValueStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__MethodList {
 public:
  std::vector<std::string> string;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__DeviceIdStruct {
 public:
  std::string Manufacturer;
  std::string OUI;
  std::string ProductClass;
  std::string SerialNumber;
};

class cwmp__EventStruct {
 public:
  std::string EventCode;
  std::string CommandKey;
};

class cwmp__EventList {
 public:
  std::vector<cwmp__EventStruct> EventStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__ParameterInfoStruct {
 public:
  std::string Name;
  bool Writable;
};

class cwmp__ParameterInfoList {
 public:
  std::vector<cwmp__ParameterInfoStruct> ParameterInfoStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__AccessList {
 public:
  std::vector<std::string> string;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__SetParameterAttributesStruct {
 public:
  std::string Name;
  bool NotificationChange;
  int Notification;
  bool AccessListChange;
  cwmp__AccessList AccessList;
};

class cwmp__SetParameterAttributesList {
 public:
  std::vector<cwmp__SetParameterAttributesStruct> SetParameterAttributesStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__ParameterAttributeStruct {
 public:
  std::string Name;
  int Notification;
  cwmp__AccessList AccessList;
};

class cwmp__ParameterAttributeList {
 public:
  std::vector<cwmp__ParameterAttributeStruct> ParameterAttributeStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__TimeWindowStruct {
 public:
  unsigned int WindowStart;
  unsigned int WindowEnd;
  std::string WindowMode;
  std::string UserMessage;
  int MaxRetries;
};

class cwmp__TimeWindowList {
 public:
  std::vector<cwmp__TimeWindowStruct> TimeWindowStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__QueuedTransferStruct {
 public:
  std::string CommandKey;
  int State;
};

class cwmp__TransferList {
 public:
  std::vector<cwmp__QueuedTransferStruct> QueuedTransferStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__AllQueuedTransferStruct {
 public:
  std::string CommandKey;
  int State;
  bool IsDownload;
  std::string FileType;
  unsigned int FileSize;
  std::string TargetFileName;
};

class cwmp__AllTransferList {
 public:
  std::vector<cwmp__AllQueuedTransferStruct> AllQueuedTransferStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__TransferCompleteFaultStruct {
 public:
  unsigned int FaultCode;
  std::string FaultString;
};

class cwmp__DeploymentUnitFaultStruct {
 public:
  unsigned int FaultCode;
  std::string* FaultString;
};

// ChangeDUState operations: abstract base, the concrete kind travels in xsi:type.
class cwmp__OperationStruct {
 public:
};

class cwmp__InstallOpStruct : public cwmp__OperationStruct {
 public:
  std::string URL;
  std::string* UUID;
  std::string* Username;
  std::string* Password;
  std::string* ExecutionEnvRef;
};

class cwmp__UpdateOpStruct : public cwmp__OperationStruct {
 public:
  std::string* UUID;
  std::string* Version;
  std::string* URL;
  std::string* Username;
  std::string* Password;
};

class cwmp__UninstallOpStruct : public cwmp__OperationStruct {
 public:
  std::string UUID;
  std::string* Version;
  std::string* ExecutionEnvRef;
};

class cwmp__OpResultStruct {
 public:
  std::string UUID;
  std::string DeploymentUnitRef;
  std::string Version;
  std::string CurrentState;
  bool Resolved;
  std::string ExecutionUnitRefList;
  std::string StartTime;
  std::string CompleteTime;
  cwmp__DeploymentUnitFaultStruct Fault;
};

// AutonOpResultStruct extends OpResultStruct with OperationPerformed (flattened, same order).
class cwmp__AutonOpResultStruct {
 public:
  std::string UUID;
  std::string DeploymentUnitRef;
  std::string Version;
  std::string CurrentState;
  bool Resolved;
  std::string ExecutionUnitRefList;
  std::string StartTime;
  std::string CompleteTime;
  cwmp__DeploymentUnitFaultStruct Fault;
  std::string OperationPerformed;
};

class cwmp__ArgStruct {
 public:
  std::string Name;
  std::string Value;
};

class cwmp__FileTypeArg {
 public:
  std::vector<cwmp__ArgStruct> ArgStruct;
  @std::string* SOAP_ENC__arrayType;
};

class cwmp__SetParameterValuesFaultStruct {
 public:
  std::string ParameterName;
  unsigned int FaultCode;
  std::string* FaultString;
};

// ---- header and fault ------------------------------------------------------------------------
struct SOAP_ENV__Header {
  mustUnderstand std::string* cwmp__ID;
  mustUnderstand bool* cwmp__HoldRequests;
  unsigned int* cwmp__SessionTimeout;
  std::string* cwmp__SupportedCWMPVersions;
  mustUnderstand std::string* cwmp__UseCWMPVersion;
  // Deprecated since CWMP 1.1 and in no schema; read for old peers, written only on request.
  bool* cwmp__NoMoreRequests;
};

class _cwmp__Fault {
 public:
  unsigned int FaultCode;
  std::string* FaultString;
  std::vector<cwmp__SetParameterValuesFaultStruct> SetParameterValuesFault;
};

struct SOAP_ENV__Detail {
  _cwmp__Fault* cwmp__Fault;
  int __type;
  void* fault;
  _XML __any;
};

// ---- CPE methods (called by the ACS) ---------------------------------------------------------
class _cwmp__GetRPCMethods { };
class _cwmp__GetRPCMethodsResponse { public: cwmp__MethodList MethodList; };

class _cwmp__SetParameterValues {
 public:
  cwmp__ParameterValueList ParameterList;
  std::string ParameterKey;
};
class _cwmp__SetParameterValuesResponse { public: int Status; };

class _cwmp__GetParameterValues { public: cwmp__ParameterNames ParameterNames; };
class _cwmp__GetParameterValuesResponse { public: cwmp__ParameterValueList ParameterList; };

class _cwmp__GetParameterNames {
 public:
  std::string ParameterPath;
  bool NextLevel;
};
class _cwmp__GetParameterNamesResponse { public: cwmp__ParameterInfoList ParameterList; };

class _cwmp__SetParameterAttributes { public: cwmp__SetParameterAttributesList ParameterList; };
class _cwmp__SetParameterAttributesResponse { };

class _cwmp__GetParameterAttributes { public: cwmp__ParameterNames ParameterNames; };
class _cwmp__GetParameterAttributesResponse { public: cwmp__ParameterAttributeList ParameterList; };

class _cwmp__AddObject {
 public:
  std::string ObjectName;
  std::string ParameterKey;
};
class _cwmp__AddObjectResponse {
 public:
  unsigned int InstanceNumber;
  int Status;
};

class _cwmp__DeleteObject {
 public:
  std::string ObjectName;
  std::string ParameterKey;
};
class _cwmp__DeleteObjectResponse { public: int Status; };

class _cwmp__Reboot { public: std::string CommandKey; };
class _cwmp__RebootResponse { };

class _cwmp__Download {
 public:
  std::string CommandKey;
  std::string FileType;
  std::string URL;
  std::string Username;
  std::string Password;
  unsigned int FileSize;
  std::string TargetFileName;
  unsigned int DelaySeconds;
  std::string SuccessURL;
  std::string FailureURL;
};
class _cwmp__DownloadResponse {
 public:
  int Status;
  std::string StartTime;
  std::string CompleteTime;
};

class _cwmp__Upload {
 public:
  std::string CommandKey;
  std::string FileType;
  std::string URL;
  std::string Username;
  std::string Password;
  unsigned int DelaySeconds;
};
class _cwmp__UploadResponse {
 public:
  int Status;
  std::string StartTime;
  std::string CompleteTime;
};

class _cwmp__FactoryReset { };
class _cwmp__FactoryResetResponse { };

class _cwmp__ScheduleInform {
 public:
  unsigned int DelaySeconds;
  std::string CommandKey;
};
class _cwmp__ScheduleInformResponse { };

class _cwmp__ScheduleDownload {
 public:
  std::string CommandKey;
  std::string FileType;
  std::string URL;
  std::string Username;
  std::string Password;
  unsigned int FileSize;
  std::string TargetFileName;
  cwmp__TimeWindowList TimeWindowList;
};
class _cwmp__ScheduleDownloadResponse { };

class _cwmp__GetQueuedTransfers { };
class _cwmp__GetQueuedTransfersResponse { public: cwmp__TransferList TransferList; };

class _cwmp__GetAllQueuedTransfers { };
class _cwmp__GetAllQueuedTransfersResponse { public: cwmp__AllTransferList TransferList; };

class _cwmp__CancelTransfer { public: std::string CommandKey; };
class _cwmp__CancelTransferResponse { };

class _cwmp__ChangeDUState {
 public:
  std::vector<cwmp__OperationStruct*> Operations 1;
  std::string* CommandKey;
};
class _cwmp__ChangeDUStateResponse { };

// ---- ACS methods (called by the CPE) ---------------------------------------------------------
class _cwmp__Inform {
 public:
  cwmp__DeviceIdStruct DeviceId;
  cwmp__EventList Event;
  unsigned int MaxEnvelopes;
  std::string CurrentTime;
  unsigned int RetryCount;
  cwmp__ParameterValueList ParameterList;
};
class _cwmp__InformResponse { public: unsigned int MaxEnvelopes; };

class _cwmp__TransferComplete {
 public:
  std::string CommandKey;
  cwmp__TransferCompleteFaultStruct FaultStruct;
  std::string StartTime;
  std::string CompleteTime;
};
class _cwmp__TransferCompleteResponse { };

class _cwmp__AutonomousTransferComplete {
 public:
  std::string AnnounceURL;
  std::string TransferURL;
  bool IsDownload;
  std::string FileType;
  unsigned int FileSize;
  std::string TargetFileName;
  cwmp__TransferCompleteFaultStruct FaultStruct;
  std::string StartTime;
  std::string CompleteTime;
};
class _cwmp__AutonomousTransferCompleteResponse { };

class _cwmp__Kicked {
 public:
  std::string Command;
  std::string Referer;
  std::string Arg;
  std::string Next;
};
class _cwmp__KickedResponse { public: std::string NextURL; };

class _cwmp__RequestDownload {
 public:
  std::string FileType;
  cwmp__FileTypeArg FileTypeArg;
};
class _cwmp__RequestDownloadResponse { };

class _cwmp__DUStateChangeComplete {
 public:
  std::vector<cwmp__OpResultStruct> Results 1;
  std::string* CommandKey;
};
class _cwmp__DUStateChangeCompleteResponse { };

class _cwmp__AutonomousDUStateChangeComplete {
 public:
  std::vector<cwmp__AutonOpResultStruct> Results 1;
};
class _cwmp__AutonomousDUStateChangeCompleteResponse { };
