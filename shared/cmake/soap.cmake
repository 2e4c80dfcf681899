# CWMP message layer: generate the gSOAP (de)serializers from the project's own interface header
# schema/soap/cwmp.h at build time. The generated code is third-party style code: it goes in its
# own static library (no -Werror, hidden visibility) that cwmp_shared links PRIVATE, together with
# the namespaces[] table the gSOAP runtime needs. Nothing generated is committed.
set(CWMP_SOAP_INTERFACE ${CMAKE_SOURCE_DIR}/schema/soap/cwmp.h)
set(CWMP_SOAP_GEN_DIR ${CMAKE_CURRENT_BINARY_DIR}/soap_gen)
set(CWMP_SOAP_GENERATED
  ${CWMP_SOAP_GEN_DIR}/soapC.cpp
  ${CWMP_SOAP_GEN_DIR}/soapH.h
  ${CWMP_SOAP_GEN_DIR}/soapStub.h
  ${CWMP_SOAP_GEN_DIR}/cwmp.nsmap)

find_path(CWMP_GSOAP_IMPORT_DIR stl.h PATHS /usr/share/gsoap/import /usr/local/share/gsoap/import
          NO_DEFAULT_PATH REQUIRED)

add_custom_command(
  OUTPUT ${CWMP_SOAP_GENERATED}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CWMP_SOAP_GEN_DIR}
  # -1 SOAP 1.1, -x no sample XML, -w no WSDL/XSD, -L no client/server libs, -c++11 STL types.
  COMMAND ${SOAPCPP2} -1 -x -w -L -c++11 -I${CWMP_GSOAP_IMPORT_DIR} -d ${CWMP_SOAP_GEN_DIR}
          ${CWMP_SOAP_INTERFACE}
  DEPENDS ${CWMP_SOAP_INTERFACE}
  COMMENT "soapcpp2: generating CWMP serializers from schema/soap/cwmp.h"
  VERBATIM)

# The global namespaces[] symbol required by libgsoap++. The codec installs its own per-version
# tables on every context; this one only satisfies the runtime.
set(CWMP_SOAP_NSMAP_CPP ${CWMP_SOAP_GEN_DIR}/cwmp_nsmap.cpp)
file(MAKE_DIRECTORY ${CWMP_SOAP_GEN_DIR})
file(CONFIGURE OUTPUT ${CWMP_SOAP_NSMAP_CPP}
     CONTENT [=[
#include "soapH.h"
#include "cwmp.nsmap"
// Referencing the runtime hooks here means that taking this object (forced by
// --undefined=namespaces) also takes soapC.o, which defines them.
__attribute__((used)) static void* const cwmp_soap_runtime_hooks[] = {
    reinterpret_cast<void*>(&soap_getheader), reinterpret_cast<void*>(&soap_getelement),
    reinterpret_cast<void*>(&soap_markelement), reinterpret_cast<void*>(&soap_putfault)};
]=])

# Hidden visibility for the generated serializers, except the hooks that the shared libgsoap++
# calls back (soap_getheader, soap_putfault, soap_getelement, ..., namespaces[]): they are all
# declared in stdsoap2.h or in the extern "C" block below, which this forced include makes
# default-visible before soapC.cpp defines them.
set(CWMP_SOAP_VISIBILITY_H ${CWMP_SOAP_GEN_DIR}/cwmp_soap_visibility.h)
file(CONFIGURE OUTPUT ${CWMP_SOAP_VISIBILITY_H} CONTENT [=[
#pragma once
#pragma GCC visibility push(default)
#include "stdsoap2.h"
extern "C" {
void* soap_getelement(struct soap*, const char*, int*);
int soap_putelement(struct soap*, const void*, const char*, int, int);
void soap_markelement(struct soap*, const void*, int);
void* soap_dupelement(struct soap*, const void*, int);
void soap_delelement(const void*, int);
}
#pragma GCC visibility pop
]=])

add_library(cwmp_soap_gen STATIC ${CWMP_SOAP_GEN_DIR}/soapC.cpp ${CWMP_SOAP_NSMAP_CPP})
target_include_directories(cwmp_soap_gen SYSTEM PUBLIC ${CWMP_SOAP_GEN_DIR})
target_link_libraries(cwmp_soap_gen PUBLIC PkgConfig::GSOAP)
# libgsoap++.so calls back into the generated code (namespaces[], soap_getheader, ...). A program
# that links cwmp_shared without using the codec (test_base, small tools) would otherwise pull
# neither object out of the archive and fail to link; --undefined=namespaces makes the linker
# take cwmp_nsmap.o, whose hook table takes soapC.o with it.
target_link_options(cwmp_soap_gen INTERFACE "LINKER:--undefined=namespaces")
set_target_properties(cwmp_soap_gen PROPERTIES
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON
  POSITION_INDEPENDENT_CODE ON)
# Generated code: keep the compiler quiet rather than strict.
target_compile_options(cwmp_soap_gen PRIVATE -w -include ${CWMP_SOAP_VISIBILITY_H})

# PRIVATE: no gSOAP type or header reaches cwmp_shared's users.
target_link_libraries(cwmp_shared PRIVATE cwmp_soap_gen PkgConfig::GSOAP)


# codec.cpp (in cwmp_shared) includes the generated soapH.h: generate before compiling it.
add_custom_target(cwmp_soap_generate DEPENDS ${CWMP_SOAP_GENERATED})
add_dependencies(cwmp_soap_gen cwmp_soap_generate)
add_dependencies(cwmp_shared cwmp_soap_generate)
