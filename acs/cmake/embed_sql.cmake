# Build-time script: embeds schema/sql/NNN_name.sql into a C++ source, so `acsd migrate` needs
# no data files. Usage: cmake -DSQL_DIR=... -DOUT=... -P embed_sql.cmake
cmake_minimum_required(VERSION 3.25)
file(GLOB files RELATIVE ${SQL_DIR} ${SQL_DIR}/*.sql)
list(SORT files)
set(arrays "")
set(entries "")
set(seen "")
foreach(f ${files})
  if(NOT f MATCHES "^([0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "schema/sql/${f}: migration files are named NNN_lower_case_name.sql")
  endif()
  set(num ${CMAKE_MATCH_1})
  math(EXPR version "${num}")  # strips leading zeros
  if(version IN_LIST seen)
    message(FATAL_ERROR "schema/sql/${f}: migration number ${num} is used twice")
  endif()
  list(APPEND seen ${version})
  string(REGEX REPLACE "\\.sql$" "" name ${f})
  file(READ ${SQL_DIR}/${f} hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR size "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND arrays "const unsigned char kSql${version}[] = {${bytes}0x00};\n")
  string(APPEND entries
    "      {${version}, \"${name}\", std::string_view(reinterpret_cast<const char*>(kSql${version}), ${size})},\n")
endforeach()
set(content "// Generated from schema/sql/*.sql by acs/cmake/embed_sql.cmake. Do not edit.
#include \"store/migrations.h\"

namespace acs {
namespace {
${arrays}}  // namespace

const std::vector<Migration>& EmbeddedMigrations() {
  static const std::vector<Migration> kAll = {
${entries}  };
  return kAll;
}

}  // namespace acs
")
# Rewrite only on change, so the object isn't rebuilt needlessly.
if(EXISTS ${OUT})
  file(READ ${OUT} old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE ${OUT} "${content}")
