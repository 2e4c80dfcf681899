# The PostgreSQL test harness and cwmp_add_pg_gtest(), for integration tests that need a real
# server. Included by every test folder that uses it (order of add_subdirectory doesn't matter).
include_guard(GLOBAL)

add_library(cwmp_pg_harness STATIC ${CMAKE_CURRENT_LIST_DIR}/pg_instance.cpp)
target_include_directories(cwmp_pg_harness PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(cwmp_pg_harness PUBLIC GTest::gtest PRIVATE PostgreSQL::PostgreSQL)
cwmp_project_warnings(cwmp_pg_harness)

# cwmp_add_pg_gtest(NAME <prefix> SOURCES ... [LIBS ...])
# Like cwmp_add_gtest, but registers the whole binary as ONE ctest named <prefix>: its tests
# share one PostgreSQL (CWMP_PG_ENVIRONMENT()), which takes a second or two to start, instead of
# starting a server per test case. `ctest -R <prefix> -V` shows the individual cases.
function(cwmp_add_pg_gtest)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS" ${ARGN})
  set(exe test_${T_NAME})
  add_executable(${exe} ${T_SOURCES})
  set_target_properties(${exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_link_libraries(${exe} PRIVATE ${T_LIBS} cwmp_pg_harness GTest::gtest GTest::gtest_main)
  target_compile_definitions(${exe} PRIVATE
    CWMP_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    CWMP_BINARY_DIR="${CMAKE_BINARY_DIR}")
  cwmp_project_warnings(${exe})
  add_test(NAME ${T_NAME} COMMAND ${exe})
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT 300 LABELS "integration;postgresql")
endfunction()
